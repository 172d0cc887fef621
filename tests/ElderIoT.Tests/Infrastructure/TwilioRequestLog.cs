using System.Collections.Concurrent;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Notes every request the node's Twilio client sends (when, where, the form as sent), then passes it
/// on unchanged: the mock checks it against Twilio's document, and a test reads what was asked of Twilio.
/// </summary>
public sealed class TwilioRequestLog
{
    public ConcurrentQueue<TwilioRequest> Requests { get; } = new();

    /// <summary>The calls placed (POST …/Calls.json), oldest first.</summary>
    public List<TwilioRequest> Calls => [.. Requests.Where(r => r.Path.EndsWith("/Calls.json", StringComparison.Ordinal)).OrderBy(r => r.At)];

    /// <summary>The texts sent (POST …/Messages.json), oldest first.</summary>
    public List<TwilioRequest> Messages => [.. Requests.Where(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal)).OrderBy(r => r.At)];

    public DelegatingHandler Handler() => new Recorder(this);

    private sealed class Recorder(TwilioRequestLog log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var at = DateTimeOffset.UtcNow;
            var form = new List<KeyValuePair<string, string>>();
            if (request.Content is { Headers.ContentType.MediaType: "application/x-www-form-urlencoded" } content)
            {
                var body = await content.ReadAsStringAsync(cancellationToken);
                foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = pair.Split('=', 2);
                    form.Add(new(Uri.UnescapeDataString(parts[0].Replace('+', ' ')), parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : ""));
                }
            }

            log.Requests.Enqueue(new TwilioRequest(at, request.RequestUri?.AbsolutePath ?? "", form));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>One request to Twilio as the node sent it.</summary>
public sealed record TwilioRequest(DateTimeOffset At, string Path, IReadOnlyList<KeyValuePair<string, string>> Form)
{
    public string? Field(string name) => Form.FirstOrDefault(f => f.Key == name).Value;
}
