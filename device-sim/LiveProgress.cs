using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ElderIoT.DeviceSim;

/// <summary>One reading of a run's counters, taken by the progress display.</summary>
/// <param name="Sent">Every message published, at any QoS.</param>
/// <param name="SentAtQos1">The part of <paramref name="Sent"/> published at QoS 1: only those can be acknowledged.</param>
/// <param name="Acknowledged">PUBACKs received for them.</param>
/// <param name="AlarmLatencies">SOS → seat latencies of the alarms this run timed (not every alarm seen is timed).</param>
internal sealed record ProgressSnapshot(
    string Phase,
    long Connected,
    long Devices,
    long Sent,
    long SentAtQos1,
    long Acknowledged,
    long? ProcessedBySystem,
    long Alarms,
    IReadOnlyCollection<double> AlarmLatencies,
    long Errors);

/// <summary>
/// Shows how a run is going: a live table on a terminal (Spectre.Console), and a plain line every five
/// seconds when the output goes to a file or a CI log, where a redrawn screen would only be noise.
/// While the table is live, messages go under it instead of through it.
/// </summary>
internal sealed class LiveProgress
{
    private const int MessagesShown = 8;
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly bool _interactive;
    private volatile bool _showing;

    public LiveProgress(bool? interactive = null) =>
        _interactive = interactive ?? (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected);

    /// <summary>Prints a message now, or, while the table is live, adds it to the table's last lines.</summary>
    public void Say(string message)
    {
        if (!_showing)
        {
            Console.WriteLine(message);
            return;
        }

        _messages.Enqueue(message);
        while (_messages.Count > MessagesShown && _messages.TryDequeue(out _))
        {
        }
    }

    /// <summary>Shows <paramref name="read"/>'s snapshots until <paramref name="stop"/> is cancelled, then once more.</summary>
    public async Task ShowAsync(Func<ProgressSnapshot> read, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var rates = new Rates();
        if (!_interactive)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
            while (await Ticked(timer, stop))
            {
                Console.WriteLine(Line(read(), clock.Elapsed, rates));
            }

            return;
        }

        _showing = true;
        try
        {
            await AnsiConsole.Live(Table(read(), clock.Elapsed, rates)).AutoClear(false).StartAsync(async context =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
                while (await Ticked(timer, stop))
                {
                    context.UpdateTarget(Table(read(), clock.Elapsed, rates));
                }

                context.UpdateTarget(Table(read(), clock.Elapsed, rates));
            });
        }
        finally
        {
            _showing = false;
        }
    }

    /// <summary>The plain form: one line, for logs.</summary>
    public static string Line(ProgressSnapshot s, TimeSpan elapsed, Rates rates)
    {
        var (sentRate, ackRate) = rates.Next(s, elapsed);
        var processed = s.ProcessedBySystem is { } p ? $", processed {p:N0}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{elapsed:mm\\:ss}] {s.Phase}: connected {s.Connected:N0}/{s.Devices:N0}, sent {s.Sent:N0} ({sentRate:N0}/s), " +
            $"acknowledged {s.Acknowledged:N0} of {s.SentAtQos1:N0} sent at QoS 1 ({ackRate:N0}/s){processed}, " +
            $"alarms seen {s.Alarms:N0}, SOS → seat {Latency(s.AlarmLatencies)}, errors {s.Errors:N0}");
    }

    private IRenderable Table(ProgressSnapshot s, TimeSpan elapsed, Rates rates)
    {
        var (sentRate, ackRate) = rates.Next(s, elapsed);
        var table = new Table().Border(TableBorder.Rounded).Title($"device-sim · {Markup.Escape(s.Phase)} · {elapsed:hh\\:mm\\:ss}")
            .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("connected devices", $"{s.Connected:N0} / {s.Devices:N0}");
        table.AddRow("messages sent", $"{s.Sent:N0}  ({sentRate:N0}/s)");
        table.AddRow("sent at QoS 1 (acknowledgeable)", $"{s.SentAtQos1:N0}");
        table.AddRow("acknowledged by the broker", $"{s.Acknowledged:N0}  ({ackRate:N0}/s)");
        if (s.ProcessedBySystem is { } processed)
        {
            table.AddRow("processed by ElderIoT", $"{processed:N0}");
        }

        table.AddRow("alarms seen on the seat stream", $"{s.Alarms:N0}");
        table.AddRow("SOS → seat latency (timed SOS)", Markup.Escape(Latency(s.AlarmLatencies)));
        table.AddRow("errors", s.Errors == 0 ? "0" : $"[red]{s.Errors:N0}[/]");
        var lines = _messages.ToArray();
        return lines.Length == 0
            ? table
            : new Rows(table, new Text(string.Join(Environment.NewLine, lines)));
    }

    private static string Latency(IReadOnlyCollection<double> samples) =>
        samples.Count == 0
            ? "no timed SOS yet"
            : string.Create(CultureInfo.InvariantCulture, $"p50 {Percentiles.Of(samples, 50):0} ms, p95 {Percentiles.Of(samples, 95):0} ms, p99 {Percentiles.Of(samples, 99):0} ms, n={samples.Count} timed");

    private static async Task<bool> Ticked(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Messages per second since the previous snapshot.</summary>
    internal sealed class Rates
    {
        private long _sent;
        private long _acknowledged;
        private TimeSpan _at;

        public (double Sent, double Acknowledged) Next(ProgressSnapshot s, TimeSpan elapsed)
        {
            var seconds = (elapsed - _at).TotalSeconds;
            var result = seconds <= 0 ? (0, 0) : ((s.Sent - _sent) / seconds, (s.Acknowledged - _acknowledged) / seconds);
            (_sent, _acknowledged, _at) = (s.Sent, s.Acknowledged, elapsed);
            return result;
        }
    }
}
