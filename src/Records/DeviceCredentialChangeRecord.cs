namespace ElderIoT.Records;

/// <summary>
/// One change to a device's access (secret rotated, disabled, enabled): the device's access history.
/// Written by the device grain in the same transaction as the change itself.
/// </summary>
public sealed class DeviceCredentialChangeRecord
{
    public long Id { get; set; }
    public required string DeviceId { get; set; }

    /// <summary>The change in snake case (<c>secret_rotated</c>, <c>disabled</c>, <c>enabled</c>).</summary>
    public required string Change { get; set; }

    public DateTimeOffset At { get; set; }
}
