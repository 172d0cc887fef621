namespace ElderIoT.Grains.Callbacks;

/// <summary>Call-backs (回访) after an alarm (section <c>Callbacks</c>).</summary>
public sealed class CallbackOptions
{
    public const string SectionName = "Callbacks";

    /// <summary>How long after the resolution a seat has to call the elder back.</summary>
    public TimeSpan DueWithin { get; set; } = TimeSpan.FromHours(24);
}
