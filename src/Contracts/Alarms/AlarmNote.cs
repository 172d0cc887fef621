namespace ElderIoT.Contracts.Alarms;

/// <summary>Who wrote a note on an alarm: the signed-in user, and the seat they act as when they act as one.</summary>
/// <param name="UserName">The user (a supervisor without a seat writes in this name).</param>
/// <param name="SeatId">The seat, when the user works as one: the note is then the seat's, as accepts and resolves are.</param>
[GenerateSerializer, Immutable]
public sealed record AlarmNoteAuthor(
    [property: Id(0)] string UserName,
    [property: Id(1)] string? SeatId);

/// <summary>The rule of a note's text, for the API that checks it and the grain that keeps it.</summary>
public static class AlarmNotes
{
    /// <summary>The longest note, in characters after trimming: a paragraph, not a report.</summary>
    public const int MaxLength = 2000;
}
