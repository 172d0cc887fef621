namespace ElderIoT.Grains.Devices;

/// <summary>How device secrets are stored (section <c>Devices:Secrets</c>).</summary>
public sealed class DeviceSecretOptions
{
    public const string SectionName = "Devices:Secrets";

    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations of a stored secret hash. Chosen low on purpose: the secrets are
    /// 192 random bits, so no iteration count adds meaningful strength against guessing, and every
    /// device of a node pays one hash when it logs in after a restart (a reconnect storm). The default
    /// costs about as much as the TLS handshake of the same connect (measured in docs/security.md).
    /// A change applies to new hashes and re-hashes older ones at their next good login.
    /// </summary>
    public int HashIterations { get; set; } = 10_000;
}
