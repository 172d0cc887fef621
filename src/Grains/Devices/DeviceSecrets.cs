using System.Security.Cryptography;
using System.Text;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// Device secrets: 192 random bits, stored as PBKDF2-HMAC-SHA256 (<see cref="Rfc2898DeriveBytes.Pbkdf2(string, byte[], int, HashAlgorithmName, int)"/>)
/// with a random salt of each device's own, in the form <c>pbkdf2-sha256$iterations$salt$hash</c> (salt
/// and hash base64). The iteration count is written into each hash, so raising
/// <see cref="DeviceSecretOptions.HashIterations"/> leaves existing hashes valid; a hash with fewer
/// iterations than configured, or a legacy one, is re-hashed at the device's next good login.
/// </summary>
/// <remarks>
/// Hashes stored before this format are a bare base64 SHA-256 of the secret (no <c>$</c>): they still
/// verify, and <see cref="NeedsUpgrade"/> says they should be replaced.
/// </remarks>
public static class DeviceSecrets
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>A new hash of <paramref name="secret"/> with a fresh random salt.</summary>
    public static string Hash(string secret, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="secret"/> is the one <paramref name="stored"/> was made from (either format).</summary>
    public static bool Matches(string secret, string stored)
    {
        if (TryParse(stored, out var iterations, out var salt, out var expected))
        {
            var actual = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        return TryParseLegacy(stored, out var legacy)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), legacy);
    }

    /// <summary>A legacy SHA-256 hash, or one with fewer iterations than wanted now: re-hash at the next good login.</summary>
    public static bool NeedsUpgrade(string stored, int iterations) =>
        !TryParse(stored, out var storedIterations, out _, out _) || storedIterations < iterations;

    /// <summary>A hash stored before PBKDF2: a bare base64 SHA-256.</summary>
    public static bool IsLegacy(string stored) => !stored.Contains('$', StringComparison.Ordinal);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
            return hash.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryParseLegacy(string stored, out byte[] hash)
    {
        hash = [];
        if (!IsLegacy(stored))
        {
            return false;
        }

        try
        {
            hash = Convert.FromBase64String(stored);
            return hash.Length == SHA256.HashSizeInBytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
