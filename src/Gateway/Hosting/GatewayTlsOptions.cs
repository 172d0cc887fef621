using Microsoft.Extensions.Options;

namespace ElderIoT.Gateway.Hosting;

/// <summary>The device listener over TLS (section <c>Gateway:Tls</c>); see docs/tls.md.</summary>
public sealed class GatewayTlsOptions
{
    public const string SectionName = "Gateway:Tls";

    /// <summary>Run the MQTT-over-TLS listener (on <see cref="GatewayOptions.BindAddress"/>, like the plain one).</summary>
    public bool Enabled { get; set; }

    /// <summary>TCP port of the TLS listener (MQTT's registered port for TLS).</summary>
    public int Port { get; set; } = 8883;

    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>) or a PFX/PKCS#12 file (with <see cref="CertificatePassword"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>; empty when the key is in the same PEM file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of a PFX file or an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Whether devices present certificates of their own.</summary>
    public ClientCertificateMode ClientCertificates { get; set; } = ClientCertificateMode.None;

    /// <summary>PEM file of the CA certificate(s) that issue device certificates; needed unless <see cref="ClientCertificates"/> is None.</summary>
    public string? ClientCaPath { get; set; }

    internal IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (Port is < 0 or > 65535)
        {
            yield return "Gateway:Tls:Port must be 0..65535.";
        }

        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            yield return "Gateway:Tls:CertificatePath is required when Gateway:Tls:Enabled (a PEM or PFX file).";
        }
        else if (!File.Exists(CertificatePath))
        {
            yield return $"Gateway:Tls:CertificatePath: no file at {CertificatePath}.";
        }

        if (!string.IsNullOrWhiteSpace(KeyPath) && !File.Exists(KeyPath))
        {
            yield return $"Gateway:Tls:KeyPath: no file at {KeyPath}.";
        }

        if (ClientCertificates != ClientCertificateMode.None && (string.IsNullOrWhiteSpace(ClientCaPath) || !File.Exists(ClientCaPath)))
        {
            yield return "Gateway:Tls:ClientCaPath must name a PEM file of the CA that issues device certificates when Gateway:Tls:ClientCertificates is Allow or Require.";
        }
    }
}

/// <summary>Whether devices on the TLS listener present certificates of their own.</summary>
public enum ClientCertificateMode
{
    /// <summary>Not asked for.</summary>
    None,

    /// <summary>Asked for; a device without one logs in with its secret alone, one with a certificate must present a valid one whose CN is its device id.</summary>
    Allow,

    /// <summary>Every device presents a certificate from <see cref="GatewayTlsOptions.ClientCaPath"/> whose CN is its device id; without one the handshake fails.</summary>
    Require,
}

/// <summary>Says which <c>Gateway:Tls</c> setting is wrong and why, at start.</summary>
internal sealed class GatewayTlsOptionsValidator : IValidateOptions<GatewayTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayTlsOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
