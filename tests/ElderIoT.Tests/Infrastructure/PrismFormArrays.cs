using System.Net.Http.Headers;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Twilio's document asks for an array field as the same name repeated (StatusCallbackEvent=ringing
/// &amp;StatusCallbackEvent=answered), which is what Twilio's library sends; Prism reads a form array
/// only in the bracket form (StatusCallbackEvent[]=…) and answers 422 otherwise. This rewrites a
/// repeated name into brackets on the way to the mock and changes nothing else, so the rest of the
/// request is still checked against Twilio's contract.
/// </summary>
public sealed class PrismFormArrays : DelegatingHandler
{
    public PrismFormArrays()
    {
    }

    public PrismFormArrays(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { Headers.ContentType.MediaType: "application/x-www-form-urlencoded" } content)
        {
            var pairs = (await content.ReadAsStringAsync(cancellationToken)).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2)).ToList();
            var repeated = pairs.GroupBy(p => p[0]).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
            var body = string.Join('&', pairs.Select(p => (repeated.Contains(p[0]) ? p[0] + "%5B%5D" : p[0]) + (p.Length > 1 ? "=" + p[1] : "")));
            var headers = content.Headers.ContentType;
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(headers!.MediaType!) { CharSet = headers.CharSet };
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
