using ElderIoT.Contracts.Alarms;

namespace ElderIoT.Grains.Alarms;

/// <summary>The escalation ladders, the maintenance list and how incidents form (section <c>Escalation</c>).</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalation";

    /// <summary>
    /// The critical ladder (kept under its old name: it was the only ladder). Steps in order, each due
    /// <see cref="EscalationStep.After"/> after the ladder started while no seat has accepted the alarm.
    /// Empty means <see cref="DefaultSteps"/>.
    /// </summary>
    public List<EscalationStep> Steps { get; set; } = [];

    /// <summary>The ladders of the other severities (<c>Escalation:Ladders:High:0:After</c> …); an empty one takes its default.</summary>
    public EscalationLadders Ladders { get; set; } = new();

    /// <summary>Who hears of low-severity (maintenance) alarms instead of the family.</summary>
    public MaintenanceOptions Maintenance { get; set; } = new();

    /// <summary>
    /// Once a seat holds an incident, causes of its elder within this time of its last cause join it (a
    /// fall then an SOS; smoke from two sensors); a later one starts a new incident, offered afresh.
    /// While nobody holds it, every cause joins it.
    /// </summary>
    public TimeSpan IncidentWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// An event whose (plausible) device time is older than this when it arrives was buffered while the
    /// device was offline: it raises and escalates as usual, flagged late with the delay.
    /// </summary>
    public TimeSpan LateAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often every node looks for steps and retries that fell due (the crash-recovery path).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Critical: at raise, offer to the district's seats and text the first contact. After 60 s: offer
    /// to all seats and text every contact. After 180 s: flag overdue for supervisors.
    /// </summary>
    public static IReadOnlyList<EscalationStep> DefaultSteps { get; } =
    [
        new() { After = TimeSpan.Zero, Seats = SeatAudience.District, Contacts = ContactAudience.First },
        new() { After = TimeSpan.FromSeconds(60), Seats = SeatAudience.All, Contacts = ContactAudience.All },
        new() { After = TimeSpan.FromSeconds(180), FlagOverdue = true },
    ];

    /// <summary>High: seats at once, the family only when no seat took it within 60 s.</summary>
    public static IReadOnlyList<EscalationStep> DefaultHighSteps { get; } =
    [
        new() { After = TimeSpan.Zero, Seats = SeatAudience.District },
        new() { After = TimeSpan.FromSeconds(60), Seats = SeatAudience.All, Contacts = ContactAudience.All },
        new() { After = TimeSpan.FromSeconds(300), FlagOverdue = true },
    ];

    /// <summary>Medium: seats only; every seat after 5 min, supervisors after 15 min. Never the family.</summary>
    public static IReadOnlyList<EscalationStep> DefaultMediumSteps { get; } =
    [
        new() { After = TimeSpan.Zero, Seats = SeatAudience.District },
        new() { After = TimeSpan.FromMinutes(5), Seats = SeatAudience.All },
        new() { After = TimeSpan.FromMinutes(15), FlagOverdue = true },
    ];

    /// <summary>Low: the district's seats see it in their queue and the maintenance list is texted (by day). Never the family, never overdue.</summary>
    public static IReadOnlyList<EscalationStep> DefaultLowSteps { get; } =
    [
        new() { After = TimeSpan.Zero, Seats = SeatAudience.District, Maintenance = true },
    ];
}

/// <summary>One ladder per severity below critical (critical is <see cref="EscalationOptions.Steps"/>).</summary>
public sealed class EscalationLadders
{
    public List<EscalationStep> High { get; set; } = [];

    public List<EscalationStep> Medium { get; set; } = [];

    public List<EscalationStep> Low { get; set; } = [];
}

/// <summary>The maintenance list (section <c>Escalation:Maintenance</c>): who fixes devices, texted by day only.</summary>
public sealed class MaintenanceOptions
{
    /// <summary>Who is texted when a step says <see cref="EscalationStep.Maintenance"/>; empty: nobody is texted, the seats' queue shows it.</summary>
    public List<MaintenanceRecipient> Recipients { get; set; } = [];

    /// <summary>Start of the night in the centre's time zone (<c>Notifications:TimeZone</c>): no maintenance text from then…</summary>
    public TimeOnly NightStarts { get; set; } = new(22, 0);

    /// <summary>…until then; a text due at night is sent when the night ends.</summary>
    public TimeOnly NightEnds { get; set; } = new(7, 0);
}

/// <summary>One person on the maintenance list.</summary>
public sealed class MaintenanceRecipient
{
    public string Name { get; set; } = "";

    /// <summary>E.164.</summary>
    public string Phone { get; set; } = "";

    /// <summary>BCP 47 tag of the text's language (zh-CN, en).</summary>
    public string Language { get; set; } = "zh-CN";
}

/// <summary>One rung of a ladder.</summary>
public sealed class EscalationStep
{
    /// <summary>Time after the ladder started (the raise, or the rise in severity) when this step is due.</summary>
    public TimeSpan After { get; set; }

    /// <summary>Which seats are offered the alarm.</summary>
    public SeatAudience Seats { get; set; }

    /// <summary>Which family contacts are reached.</summary>
    public ContactAudience Contacts { get; set; }

    /// <summary>Text the maintenance list (<see cref="MaintenanceOptions"/>), deferred to the morning at night.</summary>
    public bool Maintenance { get; set; }

    /// <summary>How they are reached: a text (default), a call tree (one call at a time in the elder's order until one presses 1), or both.</summary>
    public ContactChannels Channel { get; set; } = ContactChannels.Sms;

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

/// <summary>How an escalation step reaches the family.</summary>
public enum ContactChannels
{
    /// <summary>A text to each contact.</summary>
    Sms,

    /// <summary>A call tree: the contacts are called one at a time until one confirms.</summary>
    Voice,

    /// <summary>A text to each, and the call tree.</summary>
    Both,
}
