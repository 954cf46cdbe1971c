using System.Diagnostics;
using System.Globalization;
using Archiver.Documents;
using Archiver.Entries;
using Archiver.Options;
using Archiver.Source;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.Engine;

/// <summary>
/// Archives completed campaigns: streams each campaign's rows in primary-key order, saves them
/// in batches, verifies the archive against MySQL, and only then sets the campaign's flag.
/// A failure leaves the flag untouched and does not stop the other campaigns; running again
/// converges to an exact copy.
/// </summary>
public sealed class ArchiveEngine(
    IArchiveSource source,
    IDocumentStore store,
    IOptions<ArchiveOptions> options,
    ILogger<ArchiveEngine> logger)
{
    private readonly ArchiveOptions _options = options.Value;

    public async Task<ArchiveRunResult> RunAsync(ArchiveRequest request, IArchiveProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var results = new List<CampaignResult>();
        var cancelled = false;
        var databaseReady = false;

        IReadOnlyList<CampaignInfo> campaigns;
        try
        {
            campaigns = await SelectCampaignsAsync(request, results, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new ArchiveRunResult(results, Stopwatch.GetElapsedTime(started), request.DryRun, Cancelled: true);
        }

        foreach (var refused in results)
        {
            progress?.CampaignFinished(refused);
        }

        foreach (var campaign in campaigns)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            var stopwatch = Stopwatch.StartNew();
            var tally = new CampaignTally();
            CampaignResult result;
            try
            {
                if (!string.Equals(campaign.Kind, "contest", StringComparison.Ordinal))
                {
                    // Only contest entries are archived so far; flagging a campaign whose rows live in a
                    // table we do not copy would hide them from readers.
                    result = Result(campaign, CampaignOutcome.Skipped, $"kind '{campaign.Kind}' is not archived by this version (only contest entries are)", tally, stopwatch);
                }
                else if (request.DryRun)
                {
                    result = await PlanCampaignAsync(campaign, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    if (!databaseReady)
                    {
                        await store.EnsureDatabaseAsync(_options.Database, cancellationToken).ConfigureAwait(false);
                        databaseReady = true;
                    }

                    result = await ArchiveCampaignAsync(campaign, tally, progress, stopwatch, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                result = Result(campaign, CampaignOutcome.Failed, "cancelled before it was verified; the flag was not set", tally, stopwatch);
                cancelled = true;
            }
#pragma warning disable CA1031 // One campaign's failure, whatever it is, is reported with its campaign and must not stop the others.
            catch (Exception ex) when (ex is not ArchiverConfigurationException)
#pragma warning restore CA1031
            {
                var reason = ex is ArchiverException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                if (ex is ArchiverException)
                {
                    Log.CampaignFailed(logger, campaign.Id, reason);
                }
                else
                {
                    Log.CampaignFailedUnexpectedly(logger, campaign.Id, ex);
                }

                result = Result(campaign, CampaignOutcome.Failed, reason, tally, stopwatch);
            }

            results.Add(result);
            progress?.CampaignFinished(result);
            if (cancelled)
            {
                break;
            }
        }

        return new ArchiveRunResult(results, Stopwatch.GetElapsedTime(started), request.DryRun, cancelled);
    }

    private async Task<IReadOnlyList<CampaignInfo>> SelectCampaignsAsync(ArchiveRequest request, List<CampaignResult> results, CancellationToken cancellationToken)
    {
        if (request.CampaignId is not { } id)
        {
            return await source.FindCompletedCampaignsAsync(_options.CompletedAfter, cancellationToken).ConfigureAwait(false);
        }

        var campaign = await source.GetCampaignAsync(id, cancellationToken).ConfigureAwait(false);
        if (campaign is null)
        {
            results.Add(new CampaignResult { CampaignId = id, Outcome = CampaignOutcome.Failed, Reason = "no such campaign" });
        }
        else if (campaign.Archived)
        {
            results.Add(new CampaignResult
            {
                CampaignId = id,
                Name = campaign.Name,
                Outcome = CampaignOutcome.Skipped,
                Reason = string.Create(CultureInfo.InvariantCulture, $"already archived at {campaign.ArchivedAt:yyyy-MM-dd HH:mm:ss} UTC"),
            });
        }
        else if (!campaign.HasEndedFor(_options.CompletedAfter))
        {
            results.Add(new CampaignResult
            {
                CampaignId = id,
                Name = campaign.Name,
                Outcome = CampaignOutcome.Failed,
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"not eligible: it ends at {campaign.EndsAt:yyyy-MM-dd HH:mm:ss} UTC, which is not at least Archive:CompletedAfter ({_options.CompletedAfter}) before the database's clock ({campaign.DatabaseNow:yyyy-MM-dd HH:mm:ss} UTC)"),
            });
        }
        else
        {
            return [campaign];
        }

        return [];
    }

    private async Task<CampaignResult> PlanCampaignAsync(CampaignInfo campaign, CancellationToken cancellationToken)
    {
        var rows = await source.GetEntryFingerprintAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
        var batches = (int)((rows.Count + _options.BatchSize - 1) / _options.BatchSize);
        return new CampaignResult
        {
            CampaignId = campaign.Id,
            Name = campaign.Name,
            Outcome = CampaignOutcome.WouldArchive,
            RowsRead = rows.Count,
            Batches = batches,
            Reason = $"would copy {rows.Count:N0} {ContestEntries.Table} rows in {batches:N0} batches of up to {_options.BatchSize:N0} to {_options.Database}, verify, then flag",
        };
    }

    private async Task<CampaignResult> ArchiveCampaignAsync(
        CampaignInfo campaign, CampaignTally tally, IArchiveProgress? progress, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var expected = await source.GetEntryFingerprintAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
        progress?.CampaignStarted(campaign, expected.Count);

        var writer = new BatchWriter(store, _options.Database);
        var batch = new List<IArchiveDocument>(_options.BatchSize);
        async Task FlushAsync()
        {
            tally.Documents += await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            tally.Batches++;
            batch.Clear();
            progress?.RowsArchived(campaign, tally.RowsRead, expected.Count, tally.Documents);
        }

        await foreach (var row in source.StreamEntriesAsync(campaign.Id, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new ContestEntryDocument(row));
            tally.RowsRead++;
            if (batch.Count == _options.BatchSize)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        if (batch.Count > 0)
        {
            await FlushAsync().ConfigureAwait(false);
        }

        if (tally.Documents.Updated > 0)
        {
            Log.DocumentsUpdated(logger, campaign.Id, tally.Documents.Updated);
        }

        progress?.Verifying(campaign);
        var verifier = new ArchiveVerifier(source, store, _options.Database, _options.BatchSize);
        var verifying = Stopwatch.StartNew();
        var verified = await verifier.VerifyAsync(campaign, tally, cancellationToken).ConfigureAwait(false);
        tally.Verifying = verifying.Elapsed;
        var flag = await source.FlagArchivedAsync(campaign.Id, verified, cancellationToken).ConfigureAwait(false);
        switch (flag)
        {
            case FlagOutcome.Flagged:
                Log.CampaignArchived(logger, campaign.Id, tally.RowsRead, tally.Documents.Written, tally.Documents.Unchanged, stopwatch.Elapsed.TotalSeconds);
                return Result(campaign, CampaignOutcome.Archived, null, tally, stopwatch);
            case FlagOutcome.AlreadyArchived:
                return Result(campaign, CampaignOutcome.Skipped, "another run flagged it first", tally, stopwatch);
            case FlagOutcome.RowsChanged:
                throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table, $"its rows changed after they were verified ({verified}); run again");
            default:
                throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table, "the campaign row disappeared before it could be flagged");
        }
    }

    private static CampaignResult Result(CampaignInfo campaign, CampaignOutcome outcome, string? reason, CampaignTally tally, Stopwatch stopwatch) => new()
    {
        CampaignId = campaign.Id,
        Name = campaign.Name,
        Outcome = outcome,
        Reason = reason,
        RowsRead = tally.RowsRead,
        Batches = tally.Batches,
        Documents = tally.Documents,
        Elapsed = stopwatch.Elapsed,
        Verifying = tally.Verifying,
    };
}
