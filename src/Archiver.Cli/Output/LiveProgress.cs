using System.Diagnostics;
using Archiver.Engine;
using Archiver.Source;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Archiver.Cli.Output;

/// <summary>
/// Progress of a run on a terminal (Spectre.Console's live display): every finished campaign's
/// outcome line, then one live line for the campaign in progress with its phase, a bar, rows, rate
/// and remaining time. Redirected output gets <see cref="ConsoleProgress"/>'s plain lines instead.
/// </summary>
internal sealed class LiveProgress : IArchiveProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly List<string> _finished = [];
    private LiveDisplayContext? _context;
    private string? _current;
    private long _done;
    private long _expected;
    private long _phaseStarted;
    private long _lastRefresh;

    /// <summary>Runs <paramref name="run"/> with live progress on a terminal, plain lines otherwise.</summary>
    public static async Task<T> RunAsync<T>(TextWriter output, Func<IArchiveProgress, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!Terminal.IsLive)
        {
            return await run(new ConsoleProgress(output)).ConfigureAwait(false);
        }

        var progress = new LiveProgress();
        return await Terminal.Create(output).Live(progress.Render()).AutoClear(false).StartAsync(async context =>
        {
            progress._context = context;
            try
            {
                return await run(progress).ConfigureAwait(false);
            }
            finally
            {
                progress.Refresh(force: true);
            }
        }).ConfigureAwait(false);
    }

    public void CampaignStarted(CampaignInfo campaign, long expectedRows)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        Phase(ConsoleProgress.Format($"campaign {campaign.Id} ({campaign.Name}) copying"), expectedRows);
    }

    public void RowsArchived(CampaignInfo campaign, long rowsRead, long expectedRows, BatchTotals documents) => Advance(rowsRead, expectedRows);

    public void Verifying(CampaignInfo campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        Phase(ConsoleProgress.Format($"campaign {campaign.Id} ({campaign.Name}) verifying"), 0);
    }

    public void RowsVerified(CampaignInfo campaign, long rowsVerified, long expectedRows) => Advance(rowsVerified, expectedRows);

    public void RefreshingViews(string database)
    {
        lock (_lock)
        {
            _current = $"refreshing the view indexes of {database}";
        }

        Refresh(force: true);
    }

    public void CampaignFinished(CampaignResult result)
    {
        lock (_lock)
        {
            _finished.Add(ConsoleProgress.Describe(result));
            _current = null;
        }

        Refresh(force: true);
    }

    private void Phase(string description, long expected)
    {
        lock (_lock)
        {
            _current = description;
            _done = 0;
            _expected = expected;
            _phaseStarted = Stopwatch.GetTimestamp();
        }

        Refresh(force: true);
    }

    private void Advance(long done, long expected)
    {
        lock (_lock)
        {
            _done = done;
            _expected = expected;
        }

        Refresh(force: false);
    }

    private void Refresh(bool force)
    {
        if (_context is not { } context)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (!force && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastRefresh), now) < Interval)
        {
            return;
        }

        Interlocked.Exchange(ref _lastRefresh, now);
        context.UpdateTarget(Render());
        context.Refresh();
    }

    private Rows Render()
    {
        lock (_lock)
        {
            var lines = _finished.Select(line => (IRenderable)new Text(line)).ToList();
            if (_current is { } current)
            {
                var fraction = _expected > 0 ? Math.Min(1.0, (double)_done / _expected) : 0;
                var seconds = Stopwatch.GetElapsedTime(_phaseStarted).TotalSeconds;
                var rate = seconds > 0 ? _done / seconds : 0;
                var eta = rate > 0 && _expected > _done ? ConsoleProgress.Format($", ETA {(_expected - _done) / rate:F0} s") : "";
                var grid = new Grid().AddColumn().AddColumn(new GridColumn().Width(26)).AddColumn();
                grid.AddRow(
                    new Text(current, new Style(Color.Aqua)),
                    new BreakdownChart().Width(24).HideTags().AddItem("done", fraction * 100, Color.Green).AddItem("left", (1 - fraction) * 100, Color.Grey23),
                    new Text(ConsoleProgress.Format($"{fraction * 100,3:F0}% {_done:N0}/{_expected:N0} rows, {rate:N0} rows/s{eta}")));
                lines.Add(grid);
            }

            return new Rows(lines);
        }
    }
}
