using System.Security.Cryptography;
using System.Text;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// Logins, secret rotation and disable/enable. The grain is the one place a device's credentials are
/// checked and changed, so its memory of the last secret it verified is exact: a rotation here
/// forgets it in the same turn.
/// </summary>
internal sealed partial class DeviceGrain
{
    // SHA-256 of the secret last verified against the stored PBKDF2 hash. A device that reconnects
    // (flaky mobile link, several times an hour) then costs one SHA-256, not one PBKDF2: only the first
    // login after an activation pays the slow hash. Forgotten on rotation and disable.
    private byte[]? _verifiedSecret;

    // The gateway the device last logged in to, on whichever node: told to end the session when the
    // credentials change.
    private IDeviceSessionObserver? _session;

    public async Task<DeviceAuthResult> AuthenticateAsync(string secret, IDeviceSessionObserver? session = null)
    {
        var device = _device;
        if (device is null)
        {
            return DeviceAuthResult.UnknownDevice;
        }

        if (device.Disabled)
        {
            return DeviceAuthResult.Disabled;
        }

        var fingerprint = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        var remembered = _verifiedSecret is { } verified && CryptographicOperations.FixedTimeEquals(verified, fingerprint);
        if (!remembered && !DeviceSecrets.Matches(secret, device.SecretHash))
        {
            return DeviceAuthResult.BadSecret;
        }

        _verifiedSecret = fingerprint;
        _session = session ?? _session;
        if (!remembered && DeviceSecrets.NeedsUpgrade(device.SecretHash, secretOptions.Value.HashIterations))
        {
            await UpgradeHashAsync(device, secret);
        }

        // A connect is the device speaking: the card shows it seen, even before its first publish.
        Seen(position: null, clock.GetUtcNow());
        Stage(device);
        KeepElderReady(device);
        return DeviceAuthResult.Accepted;
    }

    public async Task<DeviceRegistration?> RotateSecretAsync()
    {
        if (_device is not { } device)
        {
            return null;
        }

        var secret = DeviceSecrets.Generate();
        var hash = DeviceSecrets.Hash(secret, secretOptions.Value.HashIterations);
        await StoreChangeAsync(device.Id, DeviceCredentialChange.SecretRotated, record => record.SecretHash = hash);
        device.SecretHash = hash;
        _verifiedSecret = null;
        await EndSessionAsync(device.Id, DeviceCredentialChange.SecretRotated);
        return new DeviceRegistration(device.Id, EnumNames.ParseSnakeCase<DeviceKind>(device.Kind), device.ElderId, secret);
    }

    public async Task<DeviceStatus?> SetEnabledAsync(bool enabled)
    {
        if (_device is not { } device)
        {
            return null;
        }

        if (device.Disabled == !enabled)
        {
            return await GetStatusAsync(); // Already so: nothing changes, nothing is recorded twice.
        }

        var change = enabled ? DeviceCredentialChange.Enabled : DeviceCredentialChange.Disabled;
        await StoreChangeAsync(device.Id, change, record => record.Disabled = !enabled);
        device.Disabled = !enabled;
        if (!enabled)
        {
            // Events already taken from the session finish regardless (ReportEventAsync interleaves and
            // never looks at this flag): an SOS in flight raises its alarm. Only new logins are refused.
            _verifiedSecret = null;
            await EndSessionAsync(device.Id, change);
        }

        return await GetStatusAsync();
    }

    public async Task<IReadOnlyList<DeviceCredentialChangeEntry>> GetCredentialChangesAsync(int limit)
    {
        var id = this.GetPrimaryKeyString();
        await using var db = await contexts.CreateDbContextAsync();
        var rows = await db.DeviceCredentialChanges.AsNoTracking()
            .Where(c => c.DeviceId == id)
            .OrderByDescending(c => c.Id)
            .Take(limit)
            .Select(c => new { c.Change, c.At })
            .ToListAsync();
        return [.. rows.Select(r => new DeviceCredentialChangeEntry(EnumNames.ParseSnakeCase<DeviceCredentialChange>(r.Change), r.At))];
    }

    /// <summary>The change and its history row in one transaction: a change is never unrecorded.</summary>
    private async Task StoreChangeAsync(string id, DeviceCredentialChange change, Action<DeviceRecord> apply)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var record = await db.Devices.SingleAsync(d => d.Id == id);
        apply(record);
        db.DeviceCredentialChanges.Add(new DeviceCredentialChangeRecord { DeviceId = id, Change = change.ToSnakeCase(), At = clock.GetUtcNow() });
        await db.SaveChangesAsync();
        credentialMetrics.Changed(change);
        LogCredentialChange(id, change);
    }

    private async Task EndSessionAsync(string id, DeviceCredentialChange because)
    {
        var session = _session ?? localSessions;
        _session = null;
        if (session is null)
        {
            return;
        }

        try
        {
            await session.EndSessionAsync(id, because);
        }
        catch (Exception exception)
        {
            // The node that held the session is gone, and the session with it; the new credentials hold
            // at the next login either way.
            LogEndSessionFailed(exception, id);
        }
    }

    private async Task UpgradeHashAsync(DeviceRecord device, string secret)
    {
        var legacy = DeviceSecrets.IsLegacy(device.SecretHash);
        var old = device.SecretHash;
        var hash = DeviceSecrets.Hash(secret, secretOptions.Value.HashIterations);
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            // Only over the hash that was verified: never over a secret rotated meanwhile elsewhere.
            if (await db.Devices.Where(d => d.Id == device.Id && d.SecretHash == old)
                    .ExecuteUpdateAsync(set => set.SetProperty(d => d.SecretHash, hash)) == 1)
            {
                device.SecretHash = hash;
                credentialMetrics.HashUpgraded(legacy);
            }
        }
        catch (Exception exception)
        {
            // The login stands (the secret was right); the hash is upgraded at a later login.
            LogHashUpgradeFailed(exception, device.Id);
        }
    }

    [LoggerMessage(3010, LogLevel.Information, "Device {DeviceId}: {Change}")]
    private partial void LogCredentialChange(string deviceId, DeviceCredentialChange change);

    [LoggerMessage(3011, LogLevel.Warning, "Device {DeviceId}: the gateway holding its session could not be told to end it")]
    private partial void LogEndSessionFailed(Exception exception, string deviceId);

    [LoggerMessage(3012, LogLevel.Warning, "Device {DeviceId}: storing the upgraded secret hash failed; tried again at its next login")]
    private partial void LogHashUpgradeFailed(Exception exception, string deviceId);
}
