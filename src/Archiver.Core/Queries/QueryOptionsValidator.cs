using Microsoft.Extensions.Options;

namespace Archiver.Queries;

/// <summary>Range checks for <see cref="QueryOptions"/>, run at start.</summary>
public sealed class QueryOptionsValidator : IValidateOptions<QueryOptions>
{
    /// <summary>A page is held in memory whole and its documents fetched in one request; beyond this a caller wants a stream (<c>PaginatedEachAsync</c>).</summary>
    public const int MaxMaxPerPage = 10_000;

    public ValidateOptionsResult Validate(string? name, QueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxPerPage is < 1 or > MaxMaxPerPage)
        {
            failures.Add($"Queries:MaxPerPage must be between 1 and {MaxMaxPerPage:N0} (got {options.MaxPerPage}).");
        }

        if (options.ArchivedStateCacheFor < TimeSpan.Zero || options.ArchivedStateCacheFor > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Queries:ArchivedStateCacheFor must be between 0 and 10 minutes (got {options.ArchivedStateCacheFor}).");
        }

        if (string.IsNullOrWhiteSpace(options.EntriesTable))
        {
            failures.Add("Queries:EntriesTable must name the archive set of contest entries.");
        }

        if (string.IsNullOrWhiteSpace(options.VotesTable))
        {
            failures.Add("Queries:VotesTable must name the archive set of votes.");
        }

        if (options.PageIndexStride is < 1 or > 10_000)
        {
            failures.Add($"Queries:PageIndexStride must be between 1 and 10,000 (got {options.PageIndexStride}).");
        }

        if (options.PageIndexCampaigns is < 1 or > 100_000)
        {
            failures.Add($"Queries:PageIndexCampaigns must be between 1 and 100,000 (got {options.PageIndexCampaigns}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
