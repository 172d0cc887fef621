using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Commands;
using ElderIoT.Gateway.Decoding;
using ElderIoT.Gateway.Guard;
using ElderIoT.Gateway.Hosting;
using ElderIoT.Gateway.Interop;
using ElderIoT.Gateway.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ElderIoT.Gateway;

/// <summary>Composes the device gateway.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// The MQTT broker for devices, started as a hosted service when <c>Gateway:Enabled</c>. Call after
    /// the silo is added, so that devices are let in only once grains can answer them.
    /// </summary>
    public static IServiceCollection AddElderIoTGateway(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName)
            .Validate(o => o.Port is >= 0 and <= 65535, "Gateway:Port must be 0..65535.")
            .Validate(o => string.IsNullOrWhiteSpace(o.BindAddress) || System.Net.IPAddress.TryParse(o.BindAddress, out _), "Gateway:BindAddress must be an IP address.")
            .Validate(o => o.MaxPayloadBytes > 0 && o.MaxReadingsPerMessage > 0, "Gateway:MaxPayloadBytes and MaxReadingsPerMessage must be positive.")
            .Validate(o => o.MaxTelemetryInFlight > 0, "Gateway:MaxTelemetryInFlight must be positive.")
            .ValidateOnStart();
        services.AddOptions<GatewayTlsOptions>().BindConfiguration(GatewayTlsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayTlsOptions>, GatewayTlsOptionsValidator>();
        services.AddOptions<ConnectionLimits>().BindConfiguration(ConnectionLimits.SectionName)
            .Validate(o => !o.Problems().Any(), "Gateway:Limits is invalid: see ConnectionLimits for each setting's range.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<GuardReporter>();
        services.AddSingleton<GuardedListeners>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<DevicePayloadDecoder>();
        services.AddSingleton<TelemetryAdmission>();
        services.AddSingleton<DeviceMessagePipeline>();
        services.AddSingleton<DeviceCommandLinks>();
        services.AddSingleton<DeviceGateway>();
        services.AddSingleton<IDeviceCommandSender>(sp => sp.GetRequiredService<DeviceGateway>());
        services.AddSingleton<IDeviceSessionObserver>(sp => sp.GetRequiredService<DeviceGateway>());
        services.AddHostedService(sp => sp.GetRequiredService<DeviceGateway>());

        services.AddOptions<InteropOptions>().BindConfiguration(InteropOptions.SectionName)
            .Validate(o => o.Port is >= 0 and <= 65535, "Gateway:Interop:Port must be 0..65535.")
            .Validate(o => string.IsNullOrWhiteSpace(o.BindAddress) || System.Net.IPAddress.TryParse(o.BindAddress, out _), "Gateway:Interop:BindAddress must be an IP address.")
            .ValidateOnStart();
        services.AddHostedService<InteropBroker>();
        return services;
    }
}
