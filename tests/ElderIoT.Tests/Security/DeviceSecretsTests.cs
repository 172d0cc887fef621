using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ElderIoT.Grains.Devices;
using Xunit.Abstractions;

namespace ElderIoT.Tests.Security;

/// <summary>How a device secret is stored: salted PBKDF2, with the hashes of the version before still accepted.</summary>
public sealed class DeviceSecretsTests(ITestOutputHelper output)
{
    [Fact]
    public void TheSameSecretHashesDifferentlyForEachDeviceAndVerifiesOnlyItself()
    {
        var secret = DeviceSecrets.Generate();
        var iterations = new DeviceSecretOptions().HashIterations;

        var first = DeviceSecrets.Hash(secret, iterations);
        var second = DeviceSecrets.Hash(secret, iterations);

        Assert.NotEqual(first, second); // per-device salt
        Assert.StartsWith($"pbkdf2-sha256${iterations}$", first);
        Assert.True(DeviceSecrets.Matches(secret, first));
        Assert.True(DeviceSecrets.Matches(secret, second));
        Assert.False(DeviceSecrets.Matches(secret + "x", first));
        Assert.False(DeviceSecrets.NeedsUpgrade(first, iterations));
        Assert.True(DeviceSecrets.NeedsUpgrade(first, iterations * 2)); // raised iterations re-hash at the next login
    }

    [Fact]
    public void ALegacySha256HashStillVerifiesAndAsksToBeUpgraded()
    {
        var legacy = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("old-secret")));

        Assert.True(DeviceSecrets.Matches("old-secret", legacy));
        Assert.False(DeviceSecrets.Matches("other-secret", legacy));
        Assert.True(DeviceSecrets.IsLegacy(legacy));
        Assert.True(DeviceSecrets.NeedsUpgrade(legacy, 1_000));
        Assert.False(DeviceSecrets.Matches("old-secret", "not base64 $$$"));
    }

    /// <summary>
    /// Records what one login's hash costs on this machine (written to the test log, never asserted: the
    /// machine is shared). The figure in docs/security.md comes from here.
    /// </summary>
    [Fact]
    public void TheCostOfOneLoginHashIsWrittenToTheTestLog()
    {
        var secret = DeviceSecrets.Generate();
        foreach (var iterations in new[] { 1_000, 10_000, 100_000 })
        {
            var stored = DeviceSecrets.Hash(secret, iterations);
            var watch = Stopwatch.StartNew();
            const int Rounds = 20;
            for (var round = 0; round < Rounds; round++)
            {
                Assert.True(DeviceSecrets.Matches(secret, stored));
            }

            output.WriteLine($"PBKDF2-SHA256 {iterations} iterations: {watch.Elapsed.TotalMilliseconds / Rounds:F2} ms per login");
        }
    }
}
