using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ElderIoT.Gateway.Hosting;

namespace ElderIoT.Gateway.Guard;

/// <summary>
/// What a guarded listener needs to speak TLS: the server certificate and how client certificates are
/// checked. Loaded once, at start, from <see cref="GatewayTlsOptions"/>.
/// </summary>
public sealed class TlsEndpoint : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection _clientCas;
    private readonly ClientCertificateMode _clientCertificates;
    private readonly SslStreamCertificateContext _context;

    private TlsEndpoint(X509Certificate2 certificate, X509Certificate2Collection clientCas, ClientCertificateMode clientCertificates)
    {
        _certificate = certificate;
        _clientCas = clientCas;
        _clientCertificates = clientCertificates;
        _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
    }

    /// <summary>Loads the certificate (PEM with its key, or PFX) and the client CA named by <paramref name="options"/>.</summary>
    public static TlsEndpoint Load(GatewayTlsOptions options)
    {
        var path = options.CertificatePath!;
        var certificate = IsPem(path)
            ? string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, string.IsNullOrWhiteSpace(options.KeyPath) ? null : options.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, string.IsNullOrWhiteSpace(options.KeyPath) ? null : options.KeyPath)
            : X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        var cas = new X509Certificate2Collection();
        if (options.ClientCertificates != ClientCertificateMode.None)
        {
            cas.ImportFromPemFile(options.ClientCaPath!);
        }

        return new TlsEndpoint(certificate, cas, options.ClientCertificates);
    }

    /// <summary>The server's side of one handshake.</summary>
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = _context,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = _clientCertificates != ClientCertificateMode.None,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, _) => IsAcceptable(certificate),
    };

    public void Dispose() => _certificate.Dispose();

    /// <summary>
    /// A client certificate must chain to the configured CA (and only that CA, not the system store);
    /// none at all is fine unless certificates are required.
    /// </summary>
    private bool IsAcceptable(X509Certificate? presented)
    {
        if (presented is null)
        {
            return _clientCertificates != ClientCertificateMode.Require;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_clientCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2")); // client authentication
        return chain.Build(presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[64];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
