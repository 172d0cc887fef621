using System.Text.Json;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ElderIoT.Api.Devices;

/// <summary>/api/devices: registration (the secret is shown once) and live status.</summary>
public static partial class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/devices").WithTags("Devices");
        group.MapPost("", RegisterAsync).WithName("RegisterDevice").WithSummary("Register a device for an elder; the answer holds its secret, shown only this once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("{id}", GetAsync).WithName("GetDevice").WithSummary("A device's live status.");
        group.MapPost("{id}/commands", SendCommandAsync).WithName("SendDeviceCommand").WithSummary("Send a JSON command down to a connected device.");
        return group;
    }

    private static async Task<Results<Created<DeviceRegistration>, ValidationProblem>> RegisterAsync(RegisterDeviceRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var id = errors.Required("id", request.Id, DeviceIds.MaxLength);
        if (id.Length > 0 && !DeviceIds.IsWellFormed(id))
        {
            errors.Add("id", "may hold only letters, digits, '-', '_' and '.' (it becomes part of MQTT topics)");
        }

        if (!EnumNames.TryParseSnakeCase<DeviceKind>(request.Kind, out var kind))
        {
            errors.Add("kind", "must be watch, handset or sensor");
        }

        if (request.ElderId is not { } elderId || elderId == Guid.Empty)
        {
            errors.Add("elderId", "is required");
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
            errors.Add("elderId", $"no elder has id {elderId}");
            return errors.ToProblem();
        }
    }

    private static async Task<Results<Ok<DeviceStatus>, NotFound>> GetAsync(string id, IGrainFactory grains) =>
        await grains.GetGrain<IDeviceGrain>(id).GetStatusAsync() is { } status ? TypedResults.Ok(status) : TypedResults.NotFound();

    private static async Task<Results<Accepted, NotFound, ValidationProblem>> SendCommandAsync(
        string id, JsonElement command, IGrainFactory grains, IDeviceCommandSender commands, CancellationToken cancellationToken)
    {
        if (command.ValueKind != JsonValueKind.Object || !command.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            var errors = new RequestErrors();
            errors.Add("type", "a command is a JSON object with a string 'type'");
            return errors.ToProblem();
        }

        if (await grains.GetGrain<IDeviceGrain>(id).GetStatusAsync() is null)
        {
            return TypedResults.NotFound();
        }

        await commands.SendAsync(id, command.GetRawText(), cancellationToken);
        return TypedResults.Accepted($"/api/devices/{id}");
    }
}

/// <summary>The body of POST /api/devices.</summary>
public sealed record RegisterDeviceRequest(string? Id, string? Kind, Guid? ElderId);
