namespace ElderIoT.Contracts.Elders;

/// <summary>No elder record has the given id.</summary>
[GenerateSerializer]
public sealed class ElderNotFoundException(Guid elderId)
    : KeyNotFoundException($"Elder '{elderId}' does not exist.");
