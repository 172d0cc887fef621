using System.Text.Json;
using ElderIoT.Api.Access;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ElderIoT.Api.Devices;

/// <summary>/api/devices: registration (the secret is shown once), live status, and commands down to a device.</summary>
public static partial class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/devices").WithTags("Devices");
        group.MapPost("", RegisterAsync).WithName("RegisterDevice").WithSummary("Register a device for an elder; the answer holds its secret, shown only this once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("{id}", GetAsync).WithName("GetDevice").WithSummary("A device's live status.");
        group.MapPost("{id}/commands", SendCommandAsync).WithName("SendDeviceCommand")
            .WithSummary("Send a JSON command to a device: published now when it is connected, otherwise kept until it subscribes or the command expires (ttlSeconds).");
        group.MapGet("{id}/commands", ListCommandsAsync).WithName("ListDeviceCommands").WithSummary("A device's most recent commands and what became of each.");
        group.MapDeviceAccess();
        return group;
    }

    private static async Task<Results<Created<DeviceRegistration>, ValidationProblem>> RegisterAsync(RegisterDeviceRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var id = errors.Required("id", request.Id, DeviceIds.MaxLength);
        if (id.Length > 0 && !DeviceIds.IsWellFormed(id))
        {
            errors.Add("id", ApiTexts.DeviceIdCharacters);
        }

        if (!EnumNames.TryParseSnakeCase<DeviceKind>(request.Kind, out var kind))
        {
            errors.Add("kind", ApiTexts.OneOf("watch", "handset", "sensor"));
        }

        if (request.ElderId is not { } elderId || elderId == Guid.Empty)
        {
            errors.Add("elderId", ApiTexts.Required);
            elderId = Guid.Empty;
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        try
        {
            var registration = await grains.GetGrain<IDeviceGrain>(id).RegisterAsync(kind, elderId);
            return TypedResults.Created($"/api/devices/{id}", registration);
        }
        catch (Contracts.Elders.ElderNotFoundException)
        {
            errors.Add("elderId", ApiTexts.NoElder(elderId));
            return errors.ToProblem();
        }
    }

    private static async Task<Results<Ok<DeviceStatus>, NotFound>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (await grains.GetGrain<IDeviceGrain>(id).GetStatusAsync() is not { } status)
        {
            return TypedResults.NotFound();
        }

        // An installer checks that a device is there and charged, not where the elder is or how their heart beats.
        return TypedResults.Ok(Caller.From(http.User)?.Role == AccessRole.Installer
            ? status with { LastPosition = null, LastPositionAt = null, HeartRate = null }
            : status);
    }

    private static async Task<Results<Accepted<DeviceCommandReceipt>, NotFound, ValidationProblem, ProblemHttpResult>> SendCommandAsync(
        string id, JsonElement command, HttpContext http, IGrainFactory grains, int? ttlSeconds = null)
    {
        var errors = new RequestErrors();
        string? type = null;
        if (command.ValueKind != JsonValueKind.Object || !command.TryGetProperty("type", out var typeValue) || typeValue.ValueKind != JsonValueKind.String)
        {
            errors.Add("type", ApiTexts.CommandType);
        }
        else
        {
            type = errors.Required("type", typeValue.GetString(), 64);
            if (type.Length > 0 && !DeviceCommandTypes.IsKnown(type))
            {
                errors.Add("type", ApiTexts.CommandNotKnown(DeviceCommandTypes.Allowed.Keys));
            }
            if (command.TryGetProperty(DeviceCommandPayload.IdField, out _))
            {
                errors.Add(DeviceCommandPayload.IdField, ApiTexts.CommandIdByCentre);
            }

            if (command.GetRawText().Length > MaxCommandChars)
            {
                errors.Add("command", ApiTexts.CommandTooLong(MaxCommandChars));
            }
        }

        if (ttlSeconds is <= 0)
        {
            errors.Add("ttlSeconds", ApiTexts.PositiveSeconds);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (Caller.From(http.User) is not { } caller || !DeviceCommandTypes.MaySend(caller.Role, type!))
        {
            return TypedResults.Problem(title: ApiTexts.Forbidden.Render(), detail: ApiTexts.CommandNotForRole(type!).Render(), statusCode: StatusCodes.Status403Forbidden);
        }

        var device = grains.GetGrain<IDeviceGrain>(id);
        if (await device.GetStatusAsync() is null)
        {
            return TypedResults.NotFound();
        }

        var receipt = await device.SendCommandAsync(new DeviceCommand(type!, command.GetRawText(), ttlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null));
        return TypedResults.Accepted($"/api/devices/{id}/commands", receipt);
    }

    private static async Task<Results<Ok<IReadOnlyList<DeviceCommandStatus>>, NotFound>> ListCommandsAsync(string id, IGrainFactory grains, int limit = 50)
    {
        var device = grains.GetGrain<IDeviceGrain>(id);
        if (await device.GetStatusAsync() is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await device.GetCommandsAsync(Math.Clamp(limit, 1, 500)));
    }

    /// <summary>A command is a small instruction, not a file transfer.</summary>
    private const int MaxCommandChars = 4096;
}

/// <summary>The body of POST /api/devices.</summary>
public sealed record RegisterDeviceRequest(string? Id, string? Kind, Guid? ElderId);
