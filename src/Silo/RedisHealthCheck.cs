using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ElderIoT.Silo;

/// <summary>
/// Ready only while Redis answers, when the node is configured with one (<c>ConnectionStrings:Redis</c>):
/// what the node keeps there (cluster membership) is lost to it while Redis is away. One connection,
/// made on the first check and kept: the multiplexer reconnects by itself when Redis returns.
/// </summary>
internal sealed class RedisHealthCheck(IConfiguration configuration) : IHealthCheck, IAsyncDisposable
{
    public const string ConnectionStringName = "Redis";

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _redis;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var redis = await ConnectAsync(cancellationToken);
            var roundTrip = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {roundTrip.TotalMilliseconds:0.#} ms");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis does not answer: {exception.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_redis is { } connected)
        {
            return connected;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_redis is null)
            {
                var options = ConfigurationOptions.Parse(configuration.GetConnectionString(ConnectionStringName)!);
                // Made while Redis is down, the connection still comes up later by itself.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 2000;
                _redis = await ConnectionMultiplexer.ConnectAsync(options);
            }

            return _redis;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
