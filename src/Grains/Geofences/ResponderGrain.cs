using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Grains.Geofences;

/// <summary>One responder: profile, availability and live position, each change written at once (REST rate, not device rate).</summary>
internal sealed class ResponderGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock) : Grain, IResponderGrain
{
    public async Task RegisterAsync(ResponderProfile profile) => await ChangeAsync(r =>
    {
        r.Name = profile.Name;
        r.Kind = profile.Kind.ToSnakeCase();
        r.Phone = profile.Phone;
        r.HomeLat = profile.Home?.Lat;
        r.HomeLon = profile.Home?.Lon;
        r.Available = profile.Available;
    }, create: true);

    public async Task ReportPositionAsync(GeoPosition position, DateTimeOffset at) => await ChangeAsync(r =>
    {
        // Positions may arrive out of order; only a newer one moves the responder.
        if (r.LiveAt is null || at >= r.LiveAt)
        {
            (r.LiveLat, r.LiveLon, r.LiveAccuracy, r.LiveAt) = (position.Lat, position.Lon, position.Accuracy, at);
        }
    });

    public async Task SetAvailableAsync(bool available) => await ChangeAsync(r => r.Available = available);

    public async Task<bool> ExistsAsync()
    {
        var id = this.GetPrimaryKeyString();
        await using var db = await contexts.CreateDbContextAsync();
        return await db.Responders.AnyAsync(r => r.Id == id);
    }

    private async Task ChangeAsync(Action<ResponderRecord> change, bool create = false)
    {
        var id = this.GetPrimaryKeyString();
        await using var db = await contexts.CreateDbContextAsync();
        var record = await db.Responders.SingleOrDefaultAsync(r => r.Id == id);
        if (record is null)
        {
            if (!create)
            {
                throw new KeyNotFoundException($"Responder '{id}' is not registered.");
            }

            record = new ResponderRecord { Id = id, Name = "", Kind = "" };
            db.Responders.Add(record);
        }

        change(record);
        record.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync();
    }
}
