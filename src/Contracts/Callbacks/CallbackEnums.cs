namespace ElderIoT.Contracts.Callbacks;

/// <summary>Where a call-back (回访) stands.</summary>
public enum CallbackStatus
{
    /// <summary>Scheduled; no seat has recorded a result yet.</summary>
    Pending,

    /// <summary>A seat recorded the result.</summary>
    Done,
}

/// <summary>What the call-back found.</summary>
public enum CallbackResult
{
    /// <summary>The elder was reached and is well.</summary>
    ReachedWell,

    /// <summary>The elder was reached and needs a service (a visit, repair, care).</summary>
    NeedsService,

    /// <summary>The elder or family complained about how the alarm was handled.</summary>
    Complaint,

    /// <summary>Nobody answered.</summary>
    NotReached,
}
