using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ElderIoT.Api.Rules;

/// <summary>
/// The detection rules' settings and what they found: an elder's vitals limits
/// (<c>/api/elders/{id}/vital-thresholds</c>), a device's own reporting interval
/// (<c>/api/devices/{id}/supervision</c>) and mass outages (<c>/api/outages</c>). docs/alarm-rules.md.
/// </summary>
public static class AlarmRulesApi
{
    public static IEndpointRouteBuilder MapAlarmRulesApi(this IEndpointRouteBuilder app)
    {
        var elders = app.MapGroup("api/elders").WithTags("Elders");
        elders.MapGet("{id:guid}/vital-thresholds", GetThresholdsAsync).WithName("GetVitalThresholds")
            .WithSummary("The vitals limits in force for an elder: the care level's defaults with the elder's own values.");
        elders.MapPut("{id:guid}/vital-thresholds", SetThresholdsAsync).WithName("SetVitalThresholds")
            .WithSummary("Set an elder's own vitals limits; a null or absent field takes the care level's default.");

        var devices = app.MapGroup("api/devices").WithTags("Devices");
        devices.MapPut("{id}/supervision", SetSupervisionAsync).WithName("SetDeviceSupervision")
            .WithSummary("Set a device's own expected reporting interval (reportEverySeconds; null: its kind's).");

        app.MapGroup("api/outages").WithTags("Outages")
            .MapGet("", ListOutagesAsync).WithName("ListOutages")
            .WithSummary("Mass outages (many devices of a district silent at once) in progress and recently ended, newest first.");
        return app;
    }

    private static async Task<Results<Ok<VitalThresholds>, NotFound>> GetThresholdsAsync(Guid id, IGrainFactory grains)
    {
        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await grains.GetGrain<IElderRulesGrain>(id).GetVitalThresholdsAsync());
    }

    private static async Task<Results<Ok<VitalThresholds>, ValidationProblem, NotFound>> SetThresholdsAsync(Guid id, VitalThresholdsOverride request, IGrainFactory grains)
    {
        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is not { } profile)
        {
            return TypedResults.NotFound();
        }

        var errors = new RequestErrors();
        foreach (var problem in request.Problems(VitalThresholds.ForCareLevel(profile.CareLevel)))
        {
            errors.Add(problem.Field, ApiTexts.Between(problem.Min, problem.Max));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await grains.GetGrain<IElderRulesGrain>(id).SetVitalThresholdsAsync(request));
    }

    private static async Task<Results<Ok<DeviceStatus>, ValidationProblem, NotFound>> SetSupervisionAsync(string id, DeviceSupervisionRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (request.ReportEverySeconds is < MinReportEverySeconds or > MaxReportEverySeconds)
        {
            errors.Add("reportEverySeconds", ApiTexts.Between(MinReportEverySeconds, MaxReportEverySeconds));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var status = await grains.GetGrain<IDeviceSupervisionGrain>(id)
            .SetReportEveryAsync(request.ReportEverySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
        return status is null ? TypedResults.NotFound() : TypedResults.Ok(status);
    }

    private static async Task<Ok<IReadOnlyList<OutageSnapshot>>> ListOutagesAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IOutageGrain>(0).GetOutagesAsync());

    // Shorter than a minute would page for a missed heartbeat; longer than a week is no supervision.
    private const int MinReportEverySeconds = 60;
    private const int MaxReportEverySeconds = 7 * 24 * 3600;
}

/// <summary>The body of PUT /api/devices/{id}/supervision.</summary>
public sealed record DeviceSupervisionRequest(int? ReportEverySeconds);
