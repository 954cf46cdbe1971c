using System.Diagnostics.Metrics;
using Archiver.Source;
using Archiver.Web.Pages;

namespace Archiver.Web.Metrics;

/// <summary>
/// What the run journal says, as gauges of the <c>Archiver.Web</c> meter: campaigns per state and
/// the time of the newest archive, read every <see cref="Every"/> (a scrape only reads the last
/// answer, it never waits for MySQL). The run counters of the <c>Archiver</c> meter are recorded
/// by the worker, where the runs happen.
/// </summary>
internal sealed class CampaignStateMetrics : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(15);

    private readonly CampaignDirectory _directory;
    private readonly ILogger<CampaignStateMetrics> _logger;
    private volatile IReadOnlyList<CampaignStatus> _campaigns = [];
    private long _failures;

    public CampaignStateMetrics(IMeterFactory meters, CampaignDirectory directory, ILogger<CampaignStateMetrics> logger)
    {
        _directory = directory;
        _logger = logger;
        var meter = meters.Create("Archiver.Web");
        meter.CreateObservableGauge("campaigns", Counts, "{campaign}", "Campaigns per state, as archiver archive status tells them.");
        meter.CreateObservableGauge(
            "last_archived",
            () => _campaigns.Max(c => c.ArchivedAt) is { } at ? new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeSeconds() : 0,
            "s",
            "Unix time at which the newest archived campaign was flagged (0: none).");
        meter.CreateObservableCounter("journal_read_failures", () => Failures, "{read}", "Reads of the run journal for these gauges that failed.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops (or never finished starting): not a failure of this service.
        }
    }

    /// <summary>
    /// One read of the journal. Whatever makes it fail (a server down, a pool timeout, a mapping
    /// error the store did not translate) is counted and logged, never thrown: with the host's
    /// default StopHost behaviour an escaped exception would stop every page because a gauge
    /// could not be refreshed.
    /// </summary>
    internal async Task RefreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            _campaigns = await _directory.AllAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // See above: the gauges keep their last answer, the host keeps serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failures);

            // An ArchiverException's message says it all; anything else is a bug whose trace belongs in the log.
            Log.MetricsReadFailed(_logger, ex.Message, ex is ArchiverException ? null : ex);
        }
    }

    /// <summary>Reads of the journal that failed so far (the <c>journal_read_failures</c> counter).</summary>
    internal long Failures => Interlocked.Read(ref _failures);

    private IEnumerable<Measurement<long>> Counts()
    {
        var campaigns = _campaigns;
        return Enum.GetValues<CampaignState>().Select(state => new Measurement<long>(
            campaigns.Count(c => c.State == state), new KeyValuePair<string, object?>("state", CampaignDirectory.StateName(state))));
    }
}
