using System.CommandLine;
using ElderIoT.DeviceSim;

// Ctrl+C cancels the token the run gets; System.CommandLine waits for the run to end.
return await SimCommandLine.Create(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(SimOptions options, LoadOptions? load, CancellationToken cancellationToken)
{
    var progress = new LiveProgress();
    using var http = new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(30) };
    if (!string.IsNullOrEmpty(options.Token))
    {
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", options.Token);
    }
    try
    {
        return load is not null
            ? await new LoadRun(options, load, http, progress).RunAsync(cancellationToken)
            : await new SimRun(options, new ApiClient(http), progress).RunAsync(cancellationToken);
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        Console.WriteLine("stopped");
        return 130;
    }
    catch (HttpRequestException exception)
    {
        Console.Error.WriteLine($"device-sim: the ElderIoT API at {options.Api} failed: {exception.Message}");
        return 1;
    }
}
