namespace ElderIoT.Grains.Devices;

/// <summary>How device secrets are stored (section <c>Devices:Secrets</c>).</summary>
public sealed class DeviceSecretOptions
{
    public const string SectionName = "Devices:Secrets";

    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations of a stored secret hash. Chosen low on purpose: the secrets are
    /// 192 random bits, so no iteration count adds meaningful strength against guessing (the salted
    /// standard KDF is what keeps a stolen table useless), while every device of a node pays one hash
    /// at its first login after a restart, all at once in a reconnect storm. At the default one check
    /// costs about what the server side of the same connect's TLS handshake does (measured in
    /// docs/tls.md). A change applies to new hashes and re-hashes older ones at their next good login.
    /// </summary>
    public int HashIterations { get; set; } = 1_000;
}
