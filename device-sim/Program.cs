using ElderIoT.DeviceSim;

SimOptions options;
LoadOptions? load = null;
try
{
    var common = args;
    if (args.Contains("--load"))
    {
        load = LoadOptions.Parse(args, out var rest);
        common = [.. rest];
    }

    options = SimOptions.Parse(common);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(SimOptions.Usage);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var progress = new LiveProgress();
using var http = new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(30) };
try
{
    return load is not null
        ? await new LoadRun(options, load, http, progress).RunAsync(stop.Token)
        : await new SimRun(options, new ApiClient(http), progress).RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.WriteLine("stopped");
    return 130;
}
catch (HttpRequestException exception)
{
    Console.Error.WriteLine($"device-sim: the ElderIoT API at {options.Api} failed: {exception.Message}");
    return 1;
}
