using System.Diagnostics;
using System.Globalization;
using Archiver.Views;
using Spectre.Console;

namespace Archiver.Cli.Output;

/// <summary>
/// A deploy's progress. On a terminal, one live line per design document and per index being built,
/// updated in place with its elapsed time (Spectre.Console's live display). Redirected, each step is
/// one line, and an index being built gets a line at most once a minute, not at every poll.
/// </summary>
internal sealed class ViewDeployProgress : IViewDeployProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromMinutes(1);

    private readonly TextWriter _output;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Label, string State)> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastPlain = new(StringComparer.Ordinal);
    private LiveDisplayContext? _live;

    public ViewDeployProgress(TextWriter output) => _output = output;

    /// <summary>Runs <paramref name="deploy"/> under the live display on a terminal, or plainly.</summary>
    public async Task<T> RunAsync<T>(Func<IViewDeployProgress, Task<T>> deploy)
    {
        ArgumentNullException.ThrowIfNull(deploy);
        if (!Terminal.IsLive)
        {
            return await deploy(this).ConfigureAwait(false);
        }

        var console = Terminal.Create(_output);
        return await console.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            _live = context;
            try
            {
                return await deploy(this).ConfigureAwait(false);
            }
            finally
            {
                Refresh();
                _live = null;
            }
        }).ConfigureAwait(false);
    }

    public void Stepped(string database, string design, string message)
    {
        if (_live is null)
        {
            _output.WriteLine($"  {database} _design/{design}: {message}");
            return;
        }

        Update($"{database}/{design}", $"{database} _design/{design}", message);
    }

    public void Building(string database, string design, string view, TimeSpan elapsed, int? percent)
    {
        var label = $"{database} _design/{design}{ViewDeployer.StagingSuffix}/_view/{view}";
        var state = string.Create(CultureInfo.InvariantCulture, $"building, {elapsed.TotalSeconds:F0} s{(percent is { } p ? $", {p} %" : "")}");
        if (_live is not null)
        {
            Update($"{database}/{design}/{view}", label, state);
            return;
        }

        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            if (_lastPlain.TryGetValue(label, out var last) && Stopwatch.GetElapsedTime(last, now) < PlainInterval)
            {
                return;
            }

            _lastPlain[label] = now;
        }

        _output.WriteLine($"  {label}: {state}{(percent is null ? " (the server reports no progress)" : "")}");
    }

    private void Update(string key, string label, string state)
    {
        lock (_lock)
        {
            _rows[key] = (label, state);
        }

        Refresh();
    }

    private void Refresh()
    {
        if (_live is { } live)
        {
            live.UpdateTarget(Render());
            live.Refresh();
        }
    }

    private Table Render()
    {
        var table = new Table { Border = TableBorder.None, ShowHeaders = false };
        table.AddColumn("index");
        table.AddColumn("state");
        lock (_lock)
        {
            foreach (var (label, state) in _rows.Values)
            {
                table.AddTextRow([label, state]);
            }
        }

        return table;
    }
}
