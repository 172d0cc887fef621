using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// A throwaway certificate authority made for one test: a CA, a server certificate for 127.0.0.1 and
/// localhost, and device certificates, written as PEM files into a folder of the test's own. Nothing of
/// it is committed; the keys die with the test's temp folder.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    public TestCertificates(string name = "ElderIoT test CA")
    {
        Directory = RepoPaths.TempDirectory("tls");
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaPath = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());

        (ServerCertificatePath, ServerKeyPath) = Issue("server", "localhost", serverAuth: true);
    }

    public string Directory { get; }

    /// <summary>The CA certificate (PEM): what a client passes as <c>--cafile</c>, and the node as <c>Gateway:Tls:ClientCaPath</c>.</summary>
    public string CaPath { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    public X509Certificate2Collection TrustChain => [X509CertificateLoader.LoadCertificate(_ca.RawData)];

    /// <summary>The node settings of a TLS listener on <paramref name="port"/> with this CA's server certificate.</summary>
    public Dictionary<string, string?> NodeSettings(int port, bool plainListener = false, string clientCertificates = "None") => new()
    {
        ["Gateway:PlainListener"] = plainListener.ToString(),
        ["Gateway:Tls:Enabled"] = "true",
        ["Gateway:Tls:Port"] = port.ToString(),
        ["Gateway:Tls:CertificatePath"] = ServerCertificatePath,
        ["Gateway:Tls:KeyPath"] = ServerKeyPath,
        ["Gateway:Tls:ClientCertificates"] = clientCertificates,
        ["Gateway:Tls:ClientCaPath"] = CaPath,
    };

    /// <summary>A device certificate with CN = <paramref name="deviceId"/>: PEM files, and the certificate with its key.</summary>
    public (string CertificatePath, string KeyPath, X509Certificate2 Certificate) Device(string deviceId)
    {
        var (cert, key) = Issue($"device-{deviceId}", deviceId, serverAuth: false);
        return (cert, key, X509Certificate2.CreateFromPemFile(cert, key));
    }

    public void Dispose() => _ca.Dispose();

    private (string Certificate, string Key) Issue(string file, string commonName, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddDnsName("127.0.0.1"); // OpenSSL clients (mosquitto) match a host given as an IP against DNS names
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        // Within the CA's own validity: a certificate may not outlive its issuer.
        using var issued = request.Create(_ca, _ca.NotBefore.AddMinutes(1), _ca.NotAfter.AddMinutes(-1), serial);
        var certificatePath = Path.Combine(Directory, file + ".pem");
        var keyPath = Path.Combine(Directory, file + ".key");
        File.WriteAllText(certificatePath, issued.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
