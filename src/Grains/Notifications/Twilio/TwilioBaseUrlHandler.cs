namespace ElderIoT.Grains.Notifications.Twilio;

/// <summary>
/// Sends the library's requests (always to https://api.twilio.com) to <see cref="TwilioOptions.BaseUrl"/>
/// instead: Twilio's OpenAPI mock in tests, an egress proxy in a closed network. Path and query are kept,
/// under the base's own path.
/// </summary>
public sealed class TwilioBaseUrlHandler(Uri baseUrl) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri)
        {
            var root = baseUrl.AbsoluteUri.TrimEnd('/');
            request.RequestUri = new Uri(root + uri.PathAndQuery);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
