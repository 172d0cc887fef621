namespace ElderIoT.Grains.Alarms;

/// <summary>The escalation ladder (section <c>Escalation</c>).</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalation";

    /// <summary>
    /// Steps in order, each due <see cref="EscalationStep.After"/> after the alarm was raised while no
    /// seat has accepted it. Empty means the default ladder (see <see cref="DefaultSteps"/>).
    /// </summary>
    public List<EscalationStep> Steps { get; set; } = [];

    /// <summary>How often every node looks for steps and retries that fell due (the crash-recovery path).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// At raise: offer to the district's seats and text the first contact. After 60 s: offer to all
    /// seats and text every contact. After 180 s: flag overdue for supervisors.
    /// </summary>
    public static IReadOnlyList<EscalationStep> DefaultSteps { get; } =
    [
        new() { After = TimeSpan.Zero, Seats = SeatAudience.District, Contacts = ContactAudience.First },
        new() { After = TimeSpan.FromSeconds(60), Seats = SeatAudience.All, Contacts = ContactAudience.All },
        new() { After = TimeSpan.FromSeconds(180), FlagOverdue = true },
    ];
}

/// <summary>One rung of the ladder.</summary>
public sealed class EscalationStep
{
    /// <summary>Time after the raise when this step is due.</summary>
    public TimeSpan After { get; set; }

    /// <summary>Which seats are offered the alarm.</summary>
    public SeatAudience Seats { get; set; }

    /// <summary>Which family contacts are texted.</summary>
    public ContactAudience Contacts { get; set; }

    /// <summary>Mark the alarm overdue so supervisors see it.</summary>
    public bool FlagOverdue { get; set; }
}

/// <summary>Seats an escalation step offers the alarm to.</summary>
public enum SeatAudience
{
    /// <summary>No new offer.</summary>
    None,

    /// <summary>Online seats serving the elder's district; all online seats when none does.</summary>
    District,

    /// <summary>Every online seat.</summary>
    All,
}

/// <summary>Contacts an escalation step texts.</summary>
public enum ContactAudience
{
    /// <summary>Nobody.</summary>
    None,

    /// <summary>The first contact in the elder's order.</summary>
    First,

    /// <summary>Every contact.</summary>
    All,
}
