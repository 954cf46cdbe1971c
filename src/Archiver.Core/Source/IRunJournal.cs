namespace Archiver.Source;

/// <summary>
/// Where the archiver notes each campaign's attempts (its own table beside the users' schema), so that
/// <c>archive status</c> can say which campaigns failed, why and when, and which runs were killed.
/// </summary>
public interface IRunJournal
{
    /// <summary>Creates the journal's table if it does not exist.</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken = default);

    Task RecordStartAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>Records the end of an attempt: archived, or failed with <paramref name="lastError"/>.</summary>
    Task RecordOutcomeAsync(long campaignId, bool archived, string? lastError, long rowsRead, CancellationToken cancellationToken = default);

    /// <summary>Records an attempt stopped by Ctrl+C or SIGTERM: state <c>interrupted</c>, which is not a failure (the last error is kept).</summary>
    Task RecordInterruptedAsync(long campaignId, long rowsRead, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CampaignStatus>> GetStatusAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default);
}
