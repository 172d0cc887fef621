using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Writes;
using Microsoft.Extensions.Options;

namespace ElderIoT.Telemetry.Influx;

/// <summary>
/// InfluxDB 2.x and 3.x: points to <c>/api/v2/write</c> (org, bucket, token) through InfluxDB.Client's
/// write API. Reads stay InfluxQL on the v1-compatible <c>/query</c> both versions serve.
/// </summary>
/// <remarks>
/// One client for the writer's life (the library's REST client is costly to build), on an HttpClient
/// from the factory so tests and operators configure it like the 1.x one. Status codes are sorted the
/// way the 1.x path sorts them: 400 and 422 refuse the points (malformed: writing them again cannot
/// help); everything else, 401 included, is an outage, so the points wait in the spool, never dropped.
/// </remarks>
internal sealed class InfluxV2Writer : IInfluxWriter, IDisposable
{
    private readonly InfluxDBClient _client;
    private readonly InfluxDbOptions _settings;

    public InfluxV2Writer(IHttpClientFactory httpClients, IOptions<TelemetryOptions> options)
    {
        _settings = options.Value.InfluxDb;
        _client = new InfluxDBClient(new InfluxDBClientOptions(_settings.Url.ToString())
        {
            Token = _settings.Token,
            Org = _settings.Org,
            Bucket = _settings.BucketOrDatabase,
            Timeout = _settings.Timeout,
            HttpClient = httpClients.CreateClient(InfluxDbClient.HttpClientName),
        });
    }

    public async Task WriteAsync(IReadOnlyList<PointData> points, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetWriteApiAsync().WritePointsAsync([.. points], _settings.BucketOrDatabase, _settings.Org, cancellationToken);
        }
        catch (HttpException refused) when (refused.Status is 400 or 422)
        {
            throw new TelemetryRejectedException($"InfluxDB refused the points ({refused.Status}): {refused.Message}");
        }
        catch (HttpException failed)
        {
            throw new TelemetryStoreUnavailableException($"InfluxDB at {_settings.Url} answered {failed.Status}: {failed.Message}", failed);
        }
        catch (HttpRequestException unreachable)
        {
            throw new TelemetryStoreUnavailableException($"InfluxDB at {_settings.Url} is unreachable: {unreachable.Message}", unreachable);
        }
        catch (OperationCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TelemetryStoreUnavailableException($"InfluxDB at {_settings.Url} did not answer within {_settings.Timeout.TotalSeconds:0} s", timeout);
        }
    }

    public void Dispose() => _client.Dispose();
}
