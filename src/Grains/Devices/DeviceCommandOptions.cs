namespace ElderIoT.Grains.Devices;

/// <summary>The device command outbox (section <c>DeviceCommands</c>).</summary>
public sealed class DeviceCommandOptions
{
    public const string SectionName = "DeviceCommands";

    /// <summary>How long a command waits for an offline device unless the sender says otherwise.</summary>
    public TimeSpan DefaultTimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest a sender may ask a command to wait.</summary>
    public TimeSpan MaxTimeToLive { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Most commands kept for one device. When a new one comes to a full outbox the oldest pending one is
    /// dropped (recorded and counted): the newest command is the one that says what is wanted now.
    /// </summary>
    public int MaxPendingPerDevice { get; set; } = 32;
}
