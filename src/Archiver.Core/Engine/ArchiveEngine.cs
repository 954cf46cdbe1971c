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
/// A failure leaves the flag untouched; running again converges to an exact copy.
/// </summary>
public sealed class ArchiveEngine(
    IArchiveSource source,
    IDocumentStore store,
    IOptions<ArchiveOptions> options,
    ILogger<ArchiveEngine> logger)
{
    private const int MissingKeysShown = 10;
    private readonly ArchiveOptions _options = options.Value;

    public async Task<ArchiveRunResult> RunAsync(ArchiveRequest request, IArchiveProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var results = new List<CampaignResult>();
        var stopReason = "all eligible campaigns processed";
        var databaseReady = false;

        var campaigns = await SelectCampaignsAsync(request, results, cancellationToken).ConfigureAwait(false);
        foreach (var refused in results)
        {
            progress?.CampaignFinished(refused);
        }

        foreach (var campaign in campaigns)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stopReason = "cancelled";
                break;
            }

            CampaignResult result;
            if (!string.Equals(campaign.Kind, "contest", StringComparison.Ordinal))
            {
                // Only contest entries are archived so far; flagging a campaign whose rows live in a
                // table we do not copy would hide them from readers.
                result = new CampaignResult
                {
                    CampaignId = campaign.Id,
                    Name = campaign.Name,
                    Outcome = CampaignOutcome.Skipped,
                    Reason = $"kind '{campaign.Kind}' is not archived by this version (only contest entries are)",
                };
            }
            else if (request.DryRun)
            {
                result = await PlanCampaignAsync(campaign, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var stopwatch = Stopwatch.StartNew();
                try
                {
                    if (!databaseReady)
                    {
                        await store.EnsureDatabaseAsync(_options.Database, cancellationToken).ConfigureAwait(false);
                        databaseReady = true;
                    }

                    result = await ArchiveCampaignAsync(campaign, progress, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    result = Failed(campaign, "cancelled before it was verified; the flag was not set", stopwatch.Elapsed);
                    stopReason = "cancelled";
                }
                catch (Exception ex) when (ex is ArchiverException or HttpRequestException or IOException or TimeoutException or System.Text.Json.JsonException)
                {
                    Log.CampaignFailed(logger, campaign.Id, ex.Message);
                    result = Failed(campaign, ex.Message, stopwatch.Elapsed);
                }
            }

            results.Add(result);
            progress?.CampaignFinished(result);
            if (stopReason == "cancelled")
            {
                break;
            }
        }

        return new ArchiveRunResult(results, Stopwatch.GetElapsedTime(started), request.DryRun, stopReason);
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
        return new CampaignResult
        {
            CampaignId = campaign.Id,
            Name = campaign.Name,
            Outcome = CampaignOutcome.WouldArchive,
            RowsRead = rows.Count,
            Batches = BatchCount(rows.Count),
            Reason = $"would copy {rows.Count:N0} {ContestEntries.Table} rows in {BatchCount(rows.Count):N0} batches of up to {_options.BatchSize:N0} to {_options.Database}, verify, then flag",
        };
    }

    private async Task<CampaignResult> ArchiveCampaignAsync(CampaignInfo campaign, IArchiveProgress? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var expected = await source.GetEntryFingerprintAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
        progress?.CampaignStarted(campaign, expected.Count);

        var writer = new BatchWriter(store, _options.Database);
        var batch = new List<IArchiveDocument>(_options.BatchSize);
        var totals = default(BatchTotals);
        long rows = 0;
        var batches = 0;
        await foreach (var row in source.StreamEntriesAsync(campaign.Id, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new ContestEntryDocument(row));
            rows++;
            if (batch.Count == _options.BatchSize)
            {
                totals += await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                batches++;
                batch.Clear();
                progress?.RowsArchived(campaign, rows, expected.Count, totals);
            }
        }

        if (batch.Count > 0)
        {
            totals += await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            batches++;
            progress?.RowsArchived(campaign, rows, expected.Count, totals);
        }

        if (totals.Updated > 0)
        {
            Log.DocumentsUpdated(logger, campaign.Id, totals.Updated);
        }

        progress?.Verifying(campaign);
        var verified = await VerifyAsync(campaign, cancellationToken).ConfigureAwait(false);
        var flag = await source.FlagArchivedAsync(campaign.Id, verified, cancellationToken).ConfigureAwait(false);
        var failure = flag switch
        {
            FlagOutcome.Flagged => null,
            FlagOutcome.AlreadyArchived => "another run flagged it first",
            FlagOutcome.RowsChanged => $"its {ContestEntries.Table} rows changed after they were verified ({verified}); run again",
            _ => "the campaign row disappeared before it could be flagged",
        };
        if (failure is not null && flag != FlagOutcome.AlreadyArchived)
        {
            throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table, failure);
        }

        Log.CampaignArchived(logger, campaign.Id, rows, totals.Written, totals.Unchanged, stopwatch.Elapsed.TotalSeconds);
        return new CampaignResult
        {
            CampaignId = campaign.Id,
            Name = campaign.Name,
            Outcome = flag == FlagOutcome.Flagged ? CampaignOutcome.Archived : CampaignOutcome.Skipped,
            Reason = failure,
            RowsRead = rows,
            Batches = batches,
            Documents = totals,
            Elapsed = stopwatch.Elapsed,
        };
    }

    /// <summary>
    /// Reads the campaign's keys from MySQL again and checks that the archive holds a live document
    /// for every one of them. Returns the fingerprint of the verified keys, which the flag
    /// transaction compares with the rows as they are at that moment.
    /// </summary>
    private async Task<RowFingerprint> VerifyAsync(CampaignInfo campaign, CancellationToken cancellationToken)
    {
        var verified = RowFingerprint.Empty;
        var missing = new List<long>();
        long missingCount = 0;
        var keys = new List<long>(_options.BatchSize);

        async Task CheckAsync()
        {
            var ids = keys.Select(k => DocumentIds.ForRow(ContestEntries.Table, k)).ToList();
            var stored = await store.GetAsync(_options.Database, ids, includeDocs: false, cancellationToken).ConfigureAwait(false);
            if (stored.Count != ids.Count)
            {
                throw new ArchiverException($"CouchDB database {_options.Database} answered {stored.Count} rows for {ids.Count} requested ids");
            }

            var live = stored.Where(d => d.Exists).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++)
            {
                if (live.Contains(ids[i]))
                {
                    verified = verified.Add(keys[i]);
                }
                else
                {
                    missingCount++;
                    if (missing.Count < MissingKeysShown)
                    {
                        missing.Add(keys[i]);
                    }
                }
            }

            keys.Clear();
        }

        await foreach (var key in source.StreamEntryKeysAsync(campaign.Id, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
            if (keys.Count == _options.BatchSize)
            {
                await CheckAsync().ConfigureAwait(false);
            }
        }

        if (keys.Count > 0)
        {
            await CheckAsync().ConfigureAwait(false);
        }

        if (missingCount > 0)
        {
            var shown = string.Join(", ", missing.Select(k => DocumentIds.ForRow(ContestEntries.Table, k)));
            throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table,
                $"MySQL has {verified.Count + missingCount:N0} rows but database {_options.Database} holds documents for only {verified.Count:N0} of them; missing {missingCount:N0}: {shown}{(missingCount > missing.Count ? ", …" : "")}");
        }

        return verified;
    }

    private int BatchCount(long rows) => (int)((rows + _options.BatchSize - 1) / _options.BatchSize);

    private static CampaignResult Failed(CampaignInfo campaign, string reason, TimeSpan elapsed) => new()
    {
        CampaignId = campaign.Id,
        Name = campaign.Name,
        Outcome = CampaignOutcome.Failed,
        Reason = reason,
        Elapsed = elapsed,
    };
}
