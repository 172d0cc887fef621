using System.Security.Cryptography;
using System.Text;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// Device secrets: 192 random bits, stored only as a SHA-256 hash. A slow password hash is not
/// needed for secrets of that entropy, and a fast one keeps a reconnect storm of thousands of
/// devices cheap.
/// </summary>
public static class DeviceSecrets
{
    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(Hash(secret)), Convert.FromBase64String(hash));
}
