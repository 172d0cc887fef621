namespace ElderIoT.Records;

/// <summary>A care broadcast: what was said, to whom (the criteria), and how far sending has gone. Written by the broadcast grain.</summary>
public sealed class BroadcastRecord
{
    public Guid Id { get; set; }
    public required string Text { get; set; }

    /// <summary>sms or voice (snake_case of NotificationChannel); sms for broadcasts from before there was a choice.</summary>
    public string Channel { get; set; } = "sms";

    public string? DistrictPrefix { get; set; }
    public int? MinAge { get; set; }
    public int? MaxAge { get; set; }
    public List<string> CareLevels { get; set; } = [];
    public List<string> Conditions { get; set; } = [];
    public required string Status { get; set; }
    public int Recipients { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>One elder's message of a broadcast. Written by the broadcast grain.</summary>
public sealed class BroadcastMessageRecord
{
    public long Id { get; set; }
    public Guid BroadcastId { get; set; }
    public Guid ElderId { get; set; }
    public required string Phone { get; set; }
    public required string Language { get; set; }
    public required string Status { get; set; }
    public string? ProviderMessageId { get; set; }

    /// <summary>A call's last status from Twilio (ringing, completed, busy, no_answer…).</summary>
    public string? ProviderStatus { get; set; }

    public string? Error { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}
