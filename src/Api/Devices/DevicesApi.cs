using System.Text.Json;
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

    private static async Task<Results<Ok<DeviceStatus>, NotFound>> GetAsync(string id, IGrainFactory grains) =>
        await grains.GetGrain<IDeviceGrain>(id).GetStatusAsync() is { } status ? TypedResults.Ok(status) : TypedResults.NotFound();

    private static async Task<Results<Accepted<DeviceCommandReceipt>, NotFound, ValidationProblem>> SendCommandAsync(
        string id, JsonElement command, IGrainFactory grains, int? ttlSeconds = null)
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
