namespace ElderIoT.Grains.Infrastructure;

/// <summary>
/// The clock of the domain (escalation deadlines, retries, timestamps). It is a keyed
/// <see cref="TimeProvider"/> of its own, apart from the one Orleans uses for its internals, so that
/// tests can stop or jump the domain's time without freezing the silo.
/// </summary>
public static class ElderIoTClock
{
    /// <summary>The DI key of the domain's <see cref="TimeProvider"/>.</summary>
    public const string Key = "ElderIoT.Clock";
}
