using System.Diagnostics;
using System.Globalization;
using Archiver.Engine;
using Archiver.Source;

namespace Archiver.Cli.Output;

/// <summary>
/// Progress of a run. On a terminal, one status line per campaign rewritten in place (phase, a bar,
/// rows, rate, ETA); otherwise, for logs, one plain line per interval. Either way every campaign ends
/// with one line saying what happened to it.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output, bool live) : IArchiveProgress
{
    /// <summary>Plain lines: often enough to see a run move in a log, rare enough to read it.</summary>
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(250);

    private const int BarWidth = 24;

    private long _phaseStarted;
    private long _lastLine;
    private int _liveLength;

    public static ConsoleProgress ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    public void CampaignStarted(CampaignInfo campaign, long expectedRows)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        _phaseStarted = Stopwatch.GetTimestamp();
        _lastLine = 0;
        WriteLine(Format($"campaign {campaign.Id} ({campaign.Name}): archiving {expectedRows:N0} rows"));
    }

    public void RowsArchived(CampaignInfo campaign, long rowsRead, long expectedRows, BatchTotals documents)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        Report(campaign, "copying", rowsRead, expectedRows, Format($", {documents.Written:N0} written, {documents.Unchanged:N0} unchanged"));
    }

    public void Verifying(CampaignInfo campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        _phaseStarted = Stopwatch.GetTimestamp();
        _lastLine = 0;
        if (!live)
        {
            WriteLine(Format($"  verifying campaign {campaign.Id}: every set's documents and rollups against MySQL"));
        }
    }

    public void RowsVerified(CampaignInfo campaign, long rowsVerified, long expectedRows)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        Report(campaign, "verifying", rowsVerified, expectedRows, "");
    }

    public void RefreshingViews(string database)
    {
        if (live)
        {
            Live(Format($"  refreshing the view indexes of {database}…"));
        }
        else
        {
            WriteLine(Format($"  refreshing the view indexes of {database}"));
        }
    }

    public void CampaignFinished(CampaignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var line = result.Outcome switch
        {
            CampaignOutcome.Archived => Format($"archived {result.Label}: {result.RowsRead:N0} rows, {result.Documents.Written:N0} written, {result.Documents.Unchanged:N0} unchanged, {result.Rollups.Written + result.Rollups.Unchanged:N0} rollups, {result.Elapsed.TotalSeconds:F1} s (verifying {result.Verifying.TotalSeconds:F1} s); checksums {string.Join(" ", result.Checksums)}"),
            CampaignOutcome.WouldArchive => $"dry run: {result.Label}: {result.Reason}",
            CampaignOutcome.Skipped => $"skipped {result.Label}: {result.Reason}",
            CampaignOutcome.Stopped => $"stopped {result.Label}: {result.Reason}",
            CampaignOutcome.Interrupted => $"interrupted {result.Label}: {result.Reason}",
            _ => $"FAILED {result.Label}: {result.Reason}",
        };
        WriteLine(line);
    }

    private void Report(CampaignInfo campaign, string phase, long done, long expected, string detail)
    {
        var now = Stopwatch.GetTimestamp();
        if (_lastLine != 0 && Stopwatch.GetElapsedTime(_lastLine, now) < (live ? LiveInterval : PlainInterval))
        {
            return;
        }

        _lastLine = now;
        var seconds = Stopwatch.GetElapsedTime(_phaseStarted, now).TotalSeconds;
        var rate = seconds > 0 ? done / seconds : 0;
        var eta = rate > 0 && expected > done ? Format($", ETA {(expected - done) / rate:F0} s") : "";
        var fraction = expected > 0 ? Math.Min(1.0, (double)done / expected) : 1.0;
        if (live)
        {
            var filled = (int)(fraction * BarWidth);
            var bar = new string('#', filled) + new string('-', BarWidth - filled);
            Live(Format($"campaign {campaign.Id} {phase,-9} [{bar}] {fraction * 100,3:F0}% {done:N0}/{expected:N0} rows, {rate:N0} rows/s{eta}"));
        }
        else
        {
            WriteLine(Format($"  {phase} campaign {campaign.Id}: {done:N0}/{expected:N0} rows ({fraction * 100:F0}%){detail}, {rate:N0} rows/s{eta}"));
        }
    }

    /// <summary>Rewrites the status line in place, cut to the terminal's width so that it never wraps.</summary>
    private void Live(string text)
    {
        var width = Math.Max(40, TerminalWidth() - 1);
        if (text.Length > width)
        {
            text = text[..(width - 1)] + "…";
        }

        output.Write("\r" + text.PadRight(_liveLength));
        output.Flush();
        _liveLength = text.Length;
    }

    private void WriteLine(string text)
    {
        if (_liveLength > 0)
        {
            // Clear the status line first, so that the lasting line does not carry its tail.
            output.Write("\r" + new string(' ', _liveLength) + "\r");
            _liveLength = 0;
        }

        output.WriteLine(text);
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
