namespace ElderIoT.Contracts.Notifications;

/// <summary>What a family contact answered to an alarm's text or call.</summary>
/// <param name="ContactName">The contact, as the elder's record names them.</param>
/// <param name="Phone">The number they answered from, E.164.</param>
/// <param name="Kind">Going, or a message for the seat.</param>
/// <param name="Channel">How they answered.</param>
/// <param name="Text">What they wrote (a text); null for a keypress.</param>
[GenerateSerializer, Immutable]
public sealed record FamilyResponse(
    [property: Id(0)] string ContactName,
    [property: Id(1)] string Phone,
    [property: Id(2)] FamilyResponseKind Kind,
    [property: Id(3)] NotificationChannel Channel,
    [property: Id(4)] string? Text);

/// <summary>What a family answer means for the alarm.</summary>
public enum FamilyResponseKind
{
    /// <summary>The contact is going to the elder ("1", "到", pressed 1).</summary>
    Going,

    /// <summary>Anything else they wrote: shown to the seat as a message from the family.</summary>
    Message,
}

/// <summary>The words a family reply can say "I am going" with; one place for the SMS and the docs.</summary>
public static class FamilyReplyWords
{
    private static readonly string[] Going = ["1", "到", "going", "yes"];

    /// <summary>True when the whole reply (read as <see cref="ReplyText.Normalise"/> reads it, any case) is one of the going words.</summary>
    public static bool MeansGoing(string? text)
    {
        var word = ReplyText.Normalise(text);
        return Going.Any(g => string.Equals(g, word, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>How a family call went, as the alarm's timeline says it.</summary>
public enum CallOutcome
{
    /// <summary>Twilio placed the call.</summary>
    Placed,

    /// <summary>Not placed: no provider is configured.</summary>
    NotPlaced,

    /// <summary>Not placed or failed on the way (a bad number, a carrier refusal, a permanent error).</summary>
    Failed,

    /// <summary>The line was busy.</summary>
    Busy,

    /// <summary>Nobody answered.</summary>
    NoAnswer,

    /// <summary>Answered, and ended without the contact pressing 1.</summary>
    AnsweredWithoutConfirming,

    /// <summary>Cancelled before it was answered.</summary>
    Canceled,

    /// <summary>No final status came within the answer timeout.</summary>
    NoCallback,
}
