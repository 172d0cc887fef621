using System.Collections.Concurrent;
using System.Net.Http.Headers;
using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Influx;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Telemetry;

/// <summary>
/// The write path for InfluxDB 2.x and 3.x (<c>Telemetry:InfluxDb:Version=2</c>) against InfluxData's
/// own OpenAPI document (tests/specs/influxdb/oss.yml) served by Prism, a validating mock: Debian's
/// influxd 1.6.7 has no <c>/api/v2</c>.
/// </summary>
/// <remarks>
/// The document declares the line-protocol body as <c>type: string, format: byte</c> (base64), which no
/// InfluxDB server applies (they take plain line protocol, as its own description of the body says), so
/// Prism finds the body invalid and answers the document's 400 example. The tests therefore read Prism's
/// violations: anything but that one declaration of the body is a break of the vendor's contract.
/// </remarks>
public sealed class InfluxV2WriteTests(InfluxV2WriteTests.InfluxPrism prism) : IClassFixture<InfluxV2WriteTests.InfluxPrism>
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1764039540123);

    private static readonly string[] BodyFormatViolations =
    [
        "Violation: request.body Request body must match pattern \"^[\\w\\d+\\/=]*$\"",
        "Violation: request.body Request body must match format \"byte\"",
    ];

    [Fact]
    public async Task ReadingsAndEventsArePostedToApiV2WriteWithOrgBucketTokenAndNanosecondLineProtocol()
    {
        var recorder = new Recorder(prism.BaseUrl);
        var store = Store(recorder, token: "elderiot-write-token");
        var elder = Guid.NewGuid();
        TelemetryEntry[] batch =
        [
            new ReadingEntry(elder, "watch-1", new TelemetryReading(At, new GeoPosition(32.06, 118.79, 12), 72, 97, null, null, null, 80, true)),
            new EventEntry(elder, "watch-1", new DeviceEvent("watch-1", "e1", DeviceEventType.Sos, At, null), Guid.NewGuid()),
        ];
        var logFrom = prism.Output.Length;

        // Prism answers the document's 400 example for the body it calls invalid; a 400 is a refusal of the points.
        await Assert.ThrowsAsync<TelemetryRejectedException>(() => store.WriteAsync(batch, CancellationToken.None));

        var request = Assert.Single(recorder.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/v2/write", request.Path);
        Assert.Equal(new Dictionary<string, string> { ["org"] = "elderiot-centre", ["bucket"] = "elderiot", ["precision"] = "ns" }, request.Query);
        Assert.Equal("Token elderiot-write-token", request.Authorization);
        Assert.Equal(TelemetryPoints.ToLineProtocol(TelemetryPoints.From(batch)), request.Body);
        Assert.Equal(2, request.Body.Split('\n').Length);
        Assert.Equal(BodyFormatViolations, await ViolationsSinceAsync(logFrom, "Prism's validation of the write"));
    }

    [Fact]
    public async Task ARefusedTokenIsAnOutageSoThePointsWaitInTheSpoolRatherThanBeingDropped()
    {
        var logFrom = prism.Output.Length;
        // The header never reaches the server, as when a proxy drops it: the answer is InfluxDB's 401.
        var store = Store(new Recorder(prism.BaseUrl, withoutAuthorization: true), token: "revoked");

        await Assert.ThrowsAsync<TelemetryStoreUnavailableException>(() => store.WriteAsync(
            [new ReadingEntry(Guid.NewGuid(), "watch-2", new TelemetryReading(At, null, 70, null, null, null, null, null, null))], CancellationToken.None));

        Assert.Contains("Violation: request Invalid security scheme used", await ViolationsSinceAsync(logFrom, "Prism's validation of the write"));
    }

    [Fact]
    public async Task AServerThatDoesNotAnswerIsAnOutage()
    {
        var store = Store(new Recorder(new Uri($"http://127.0.0.1:{FreePort.Next()}")), token: "t");

        await Assert.ThrowsAsync<TelemetryStoreUnavailableException>(() => store.WriteAsync(
            [new ReadingEntry(Guid.NewGuid(), "watch-3", new TelemetryReading(At, null, 70, null, null, null, null, null, null))], CancellationToken.None));
    }

    /// <summary>The store as the node composes it for <c>Version=2</c>, on an HttpClient through <paramref name="recorder"/>.</summary>
    private static InfluxDbTelemetryStore Store(Recorder recorder, string token)
    {
        var options = Options.Create(new TelemetryOptions
        {
            Store = "influxdb",
            InfluxDb = new InfluxDbOptions
            {
                // Where a real server would be; the recorder sends it on to Prism.
                Url = new Uri("http://influxdb.test:8086"), Version = 2, Org = "elderiot-centre", Bucket = "elderiot", Token = token, Timeout = TimeSpan.FromSeconds(10),
            },
        });
        var factory = new SingleClientFactory(recorder);
        return new InfluxDbTelemetryStore(new InfluxDbClient(factory, options), new InfluxV2Writer(factory, options), options);
    }

    /// <summary>What Prism found wrong, once the request's validation is logged (Prism may log it after it answered).</summary>
    private Task<string[]> ViolationsSinceAsync(int logFrom, string what) => TestNode.EventuallyAsync(
        () => Task.FromResult<string[]>([.. prism.Output[logFrom..].Split('\n')
            .Select(l => l.IndexOf("Violation:", StringComparison.Ordinal) is var i and >= 0 ? l[i..].Trim() : "")
            .Where(l => l.Length > 0)]),
        v => v.Length > 0, what);

    /// <summary>Prism serving InfluxData's OpenAPI document; its log holds what it found wrong with each request.</summary>
    public sealed class InfluxPrism : IAsyncLifetime
    {
        private ExternalProcess? _process;

        public Uri BaseUrl { get; private set; } = null!;

        public string Output => _process!.Output;

        public async Task InitializeAsync()
        {
            var spec = RepoPaths.VendorSpec("influxdb", "oss.yml");
            (_process, BaseUrl) = await PrismMock.StartAsync(port => ["mock", "-h", "127.0.0.1", "-p", port.ToString(), spec], spec);
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Records each request and sends it to Prism. The document's server is <c>/api/v2</c> and Prism
    /// serves its paths from the root, so <c>/api/v2/write</c> goes to Prism's <c>/write</c>.
    /// </summary>
    private sealed class Recorder(Uri prism, bool withoutAuthorization = false) : DelegatingHandler(new HttpClientHandler())
    {
        public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Enqueue(new RecordedRequest(
                request.Method, uri.AbsolutePath,
                uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
                    .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : "")),
                request.Headers.Authorization?.ToString(), body));
            var path = uri.AbsolutePath.StartsWith("/api/v2/", StringComparison.Ordinal) ? uri.AbsolutePath["/api/v2".Length..] : uri.AbsolutePath;
            request.RequestUri = new UriBuilder(prism) { Path = path, Query = uri.Query.TrimStart('?') }.Uri;
            if (withoutAuthorization)
            {
                request.Headers.Authorization = null;
            }

            if (request.Content is not null)
            {
                var headers = request.Content.Headers.ContentType;
                request.Content = new StringContent(body, System.Text.Encoding.UTF8);
                request.Content.Headers.ContentType = headers ?? new MediaTypeHeaderValue("text/plain");
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed record RecordedRequest(HttpMethod Method, string Path, Dictionary<string, string> Query, string? Authorization, string Body);
}
