namespace ElderIoT.Contracts.Alarms;

/// <summary>The alarm is not in a state that allows what was asked (HTTP 409).</summary>
[GenerateSerializer]
public sealed class AlarmConflictException(string message) : InvalidOperationException(message);

/// <summary>No alarm has the given id.</summary>
[GenerateSerializer]
public sealed class AlarmNotFoundException(Guid alarmId)
    : KeyNotFoundException($"Alarm '{alarmId}' does not exist.");
