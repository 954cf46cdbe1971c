using System.Collections.Concurrent;
using System.Diagnostics;
using Archiver.CouchDb.Queries;
using Archiver.Queries;
using Archiver.Replication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;

namespace Archiver.CouchDb.Replication;

/// <summary>
/// The archive's reads over several servers (<c>Replicas</c>): each read goes to the first server, in
/// <see cref="ReadEndpointSelector"/>'s order, that holds the campaign complete (the central server
/// holds every flagged campaign; a replica those <see cref="IReplicaJournal"/> records) and answers.
/// A refused connection, a timeout, a 5xx, a missing database or view, an open circuit, or an answer
/// the store cannot stand behind (an incomplete campaign) moves the read on to the next server. Each
/// server has its own <see cref="CouchCampaignStore"/>; the query code is theirs, unchanged. Page
/// tokens name ids and offsets, never a server, so a walk that changes server half-way returns the same items.
/// </summary>
public sealed partial class FailoverCampaignStore : IArchivedCampaignStore, IDisposable
{
    /// <summary>Passes over the servers before a read fails: a server killed mid-read is often back, or another one up, a moment later.</summary>
    private const int Rounds = 2;

    private static readonly TimeSpan RoundPause = TimeSpan.FromMilliseconds(250);

    private readonly IReadOnlyList<ReadEndpoint> _endpoints;
    private readonly IReplicaJournal _journal;
    private readonly ReplicaOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Replica, long CampaignId), DateTimeOffset> _completeUntil = new();
    private long _reads;
    private long _failovers;
    private long _failed;

    public FailoverCampaignStore(IReadOnlyList<ReadEndpoint> endpoints, IReplicaJournal journal, ReplicaOptions options, ILogger<FailoverCampaignStore>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(options);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one server is needed", nameof(endpoints));
        }

        _endpoints = endpoints;
        _journal = journal;
        _options = options;
        _logger = logger ?? NullLogger<FailoverCampaignStore>.Instance;
        _time = time ?? TimeProvider.System;
    }

    public IReadOnlyList<ReadEndpoint> Endpoints => _endpoints;

    public ReadStatistics Statistics => new(Interlocked.Read(ref _reads), Interlocked.Read(ref _failovers), Interlocked.Read(ref _failed));

    public Task<EntrySlice> ReadEntriesAsync(long campaignId, EntryFilter filter, EntrySeek seek, int? limit, bool withTotal, CancellationToken cancellationToken) =>
        ReadAsync([campaignId], $"the entries of campaign {campaignId}", (s, ct) => s.ReadEntriesAsync(campaignId, filter, seek, limit, withTotal, ct), cancellationToken);

    public Task<IReadOnlyList<StatisticsPoint>> StatisticsAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken) =>
        ReadAsync([campaignId], $"the statistics of campaign {campaignId}", (s, ct) => s.StatisticsAsync(campaignId, granularity, since, until, ct), cancellationToken);

    public Task<IReadOnlyList<ChoiceVotes>> VoteTotalsAsync(long campaignId, CancellationToken cancellationToken) =>
        ReadAsync([campaignId], $"the vote totals of campaign {campaignId}", (s, ct) => s.VoteTotalsAsync(campaignId, ct), cancellationToken);

    public Task<IReadOnlyList<VoteBucket>> VoteSeriesAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken) =>
        ReadAsync([campaignId], $"the vote series of campaign {campaignId}", (s, ct) => s.VoteSeriesAsync(campaignId, granularity, since, until, ct), cancellationToken);

    /// <summary>A user's keys span every campaign: only a server that holds every archived campaign complete can list them.</summary>
    public Task<IReadOnlyList<UserEntryKey>> UserEntryKeysAsync(long userId, CancellationToken cancellationToken) =>
        ReadAsync(null, $"the archived entries of user {userId}", (s, ct) => s.UserEntryKeysAsync(userId, ct), cancellationToken);

    public Task<IReadOnlyList<ContestEntry>> GetEntriesAsync(IReadOnlyList<UserEntryKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return ReadAsync([.. keys.Select(k => k.CampaignId).Distinct()], $"{keys.Count} archived entries", (s, ct) => s.GetEntriesAsync(keys, ct), cancellationToken);
    }

    public void Dispose()
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.Http.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on the first server that holds <paramref name="campaigns"/> (null:
    /// every archived campaign) complete and answers.
    /// </summary>
    private async Task<T> ReadAsync<T>(IReadOnlyCollection<long>? campaigns, string what, Func<CouchCampaignStore, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ProbeWhenDue();
        var attempts = new List<string>();
        Exception? last = null;
        for (var round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                await Task.Delay(RoundPause, _time, cancellationToken).ConfigureAwait(false);
            }

            foreach (var endpoint in ReadEndpointSelector.Order(_endpoints, e => e.Health))
            {
                if (!await HoldsAsync(endpoint, campaigns, cancellationToken).ConfigureAwait(false))
                {
                    if (round == 0)
                    {
                        attempts.Add($"{endpoint.Name}: not complete there");
                    }

                    continue;
                }

                var started = Stopwatch.GetTimestamp();
                try
                {
                    var result = await read(endpoint.Store, cancellationToken).ConfigureAwait(false);
                    endpoint.Health.RecordSuccess(Stopwatch.GetElapsedTime(started));
                    Interlocked.Increment(ref _reads);
                    return result;
                }
                catch (Exception ex) when (FailsOver(ex, cancellationToken))
                {
                    last = ex;
                    endpoint.Health.RecordFailure(OpenFor(ex));
                    if (ex is ArchiveReadException && campaigns is not null)
                    {
                        // The record said complete, the documents disagree: ask the journal again next time.
                        foreach (var campaign in campaigns)
                        {
                            _completeUntil.TryRemove((endpoint.Name, campaign), out _);
                        }
                    }

                    Interlocked.Increment(ref _failovers);
                    attempts.Add($"{endpoint.Name}: {Describe(ex)}");
                    Log.ReadFailedOver(_logger, what, endpoint.Name, ex.Message);
                }
            }
        }

        Interlocked.Increment(ref _failed);
        throw new ArchiveUnavailableException(what, [.. attempts.Distinct(StringComparer.Ordinal)], last);
    }

    /// <summary>What moves a read to the next server: anything the server or its answer is at fault for; never the caller's cancellation.</summary>
    private static bool FailsOver(Exception ex, CancellationToken cancellationToken) => !cancellationToken.IsCancellationRequested && ex is
        CouchDbException or CouchDbProtocolException or ServiceUnavailableException or ArchiveReadException or HttpRequestException or TimeoutException;

    private static TimeSpan? OpenFor(Exception ex) => ex.InnerException is BrokenCircuitException { RetryAfter: { } after } ? after : null;

    private async Task<bool> HoldsAsync(ReadEndpoint endpoint, IReadOnlyCollection<long>? campaigns, CancellationToken cancellationToken)
    {
        if (endpoint.IsCentral)
        {
            return true;
        }

        foreach (var campaign in campaigns ?? [-1])
        {
            var key = (endpoint.Name, campaign);
            var now = _time.GetUtcNow();
            if (_completeUntil.TryGetValue(key, out var until) && until > now)
            {
                continue;
            }

            bool complete;
            try
            {
                complete = campaign < 0
                    ? await _journal.IsCaughtUpAsync(endpoint.Name, cancellationToken).ConfigureAwait(false)
                    : await _journal.IsCompleteAsync(endpoint.Name, campaign, cancellationToken).ConfigureAwait(false);
            }
            catch (ArchiverException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Without the journal no replica is known complete; the central server still is.
                Log.JournalUnavailable(_logger, endpoint.Name, ex.Message);
                return false;
            }

            if (!complete)
            {
                return false;
            }

            // Complete stays complete (archived documents never change); "caught up" does not, as campaigns keep being archived.
            _completeUntil[key] = campaign < 0 ? now + _options.IncompleteRecheck : DateTimeOffset.MaxValue;
        }

        return true;
    }

    /// <summary>Starts, in the background, the probe of every server whose turn it is.</summary>
    private void ProbeWhenDue()
    {
        foreach (var endpoint in _endpoints)
        {
            if (endpoint.Health.TakeProbeTurn(_options.ProbeInterval))
            {
                _ = ProbeAsync(endpoint);
            }
        }
    }

    /// <summary>GET <see cref="ReplicaOptions.ProbePath"/>: any 2xx answer within the read timeout is healthy.</summary>
    internal async Task<bool> ProbeAsync(ReadEndpoint endpoint)
    {
        var started = Stopwatch.GetTimestamp();
        bool answered;
        try
        {
            using var timeout = new CancellationTokenSource(_options.ReadTimeout);
            using var response = await endpoint.Http.GetAsync(new Uri(endpoint.Address, _options.ProbePath.TrimStart('/')), timeout.Token).ConfigureAwait(false);
            answered = response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            answered = false;
        }

        endpoint.Health.RecordProbe(answered, Stopwatch.GetElapsedTime(started));
        if (!answered)
        {
            Log.ProbeFailed(_logger, endpoint.Name, _options.ProbePath);
        }

        return answered;
    }

    /// <summary>The failure in a few words: the request path is the same on every server, its error is not.</summary>
    private static string Describe(Exception ex)
    {
        var text = ex is CouchDbException couch
            ? $"{(couch.StatusCode is { } status ? $"{(int)status} " : "")}{couch.Error}{(string.IsNullOrWhiteSpace(couch.Reason) ? "" : ": " + couch.Reason)}"
            : ex.Message;
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
