using System.Text.RegularExpressions;
using Archiver.Sets;
using Microsoft.Extensions.Options;

namespace Archiver.Options;

/// <summary>Checks of <see cref="ArchiveOptions"/> that need no database, run at start; the columns are checked against MySQL before the first campaign.</summary>
public sealed partial class ArchiveOptionsValidator : IValidateOptions<ArchiveOptions>
{
    public const int MaxBatchSize = 10_000;

    /// <summary>More batches in flight only queue up at the server.</summary>
    public const int MaxConcurrentBatches = 16;

    /// <summary>Ten years: anything longer is a typo, and would overflow date arithmetic.</summary>
    public static readonly TimeSpan MaxCompletedAfter = TimeSpan.FromDays(3650);

    private static readonly string[] ReservedFields = ["_id", "_rev", "type", "set", "campaign_id", "minute"];

    public ValidateOptionsResult Validate(string? name, ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BatchSize is < 1 or > MaxBatchSize)
        {
            failures.Add($"Archive:BatchSize must be between 1 and {MaxBatchSize:N0} (got {options.BatchSize}).");
        }

        if (options.CompletedAfter < TimeSpan.Zero || options.CompletedAfter > MaxCompletedAfter)
        {
            failures.Add($"Archive:CompletedAfter must be between 0 and {MaxCompletedAfter.TotalDays:N0} days (got {options.CompletedAfter}).");
        }

        if (options.MaxConcurrentBatches is < 1 or > MaxConcurrentBatches)
        {
            failures.Add($"Archive:MaxConcurrentBatches must be between 1 and {MaxConcurrentBatches} (got {options.MaxConcurrentBatches}).");
        }

        if (options.ShardRows != 0 && options.ShardRows < options.BatchSize)
        {
            failures.Add($"Archive:ShardRows must be 0 (never shard) or at least Archive:BatchSize ({options.BatchSize:N0}): a shard is at least one batch (got {options.ShardRows:N0}).");
        }

        if (options.ViewRefreshEvery < options.BatchSize)
        {
            failures.Add($"Archive:ViewRefreshEvery must be at least Archive:BatchSize ({options.BatchSize:N0}): views are refreshed between batches (got {options.ViewRefreshEvery:N0}).");
        }

        if (options.PurgeAfter is { } purgeAfter && (purgeAfter < TimeSpan.Zero || purgeAfter > MaxCompletedAfter))
        {
            failures.Add($"Archive:PurgeAfter must be between 0 and {MaxCompletedAfter.TotalDays:N0} days, or unset to never purge from archive run (got {purgeAfter}).");
        }

        if (options.Sets.Count == 0)
        {
            failures.Add("Archive:Sets is empty: configure at least one table to archive (appsettings.json ships contest_campaign_entries and vote_campaign_votes).");
        }

        for (var i = 0; i < options.Sets.Count; i++)
        {
            ValidateSet($"Archive:Sets:{i}", options.Sets[i], failures);
        }

        foreach (var duplicate in options.Sets.GroupBy(s => s.Table, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            failures.Add($"Archive:Sets lists table {duplicate.Key} {duplicate.Count()} times.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateSet(string path, ArchiveSetOptions set, List<string> failures)
    {
        void Identifier(string key, string? value)
        {
            if (string.IsNullOrEmpty(value) || !IdentifierPattern().IsMatch(value))
            {
                failures.Add($"{path}:{key} '{value}' is not a plain MySQL identifier (letters, digits, _ and $, at most 64).");
            }
        }

        Identifier("Table", set.Table);
        Identifier("PrimaryKey", set.PrimaryKey);
        Identifier("CampaignColumn", set.CampaignColumn);
        Identifier("TimestampColumn", set.TimestampColumn);
        if (string.Equals(set.Table, "rollup", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{path}:Table may not be 'rollup': rollup document ids start with it.");
        }

        if (string.IsNullOrWhiteSpace(set.Type) || string.Equals(set.Type, "rollup", StringComparison.Ordinal))
        {
            failures.Add($"{path}:Type '{set.Type}' must be set, and not to 'rollup'.");
        }

        if (!CouchDbNames.IsValidDatabaseName(set.Database))
        {
            failures.Add($"{path}:Database '{set.Database}' is not a valid CouchDB database name (lower-case letter first, then a-z 0-9 _ $ ( ) + - /).");
        }

        if (!string.IsNullOrEmpty(set.RollupDatabase) && !CouchDbNames.IsValidDatabaseName(set.RollupDatabase))
        {
            failures.Add($"{path}:RollupDatabase '{set.RollupDatabase}' is not a valid CouchDB database name (lower-case letter first, then a-z 0-9 _ $ ( ) + - /).");
        }

        if (!set.Measures.Any(m => m.ParsedKind == MeasureKind.Count && m.Name == "count"))
        {
            failures.Add($"{path}:Measures needs {{ \"Name\": \"count\", \"Kind\": \"Count\" }}: every rollup carries its row count, and verification adds them up.");
        }

        for (var i = 0; i < set.Measures.Count; i++)
        {
            var measure = set.Measures[i];
            var at = $"{path}:Measures:{i}";
            if (string.IsNullOrEmpty(measure.Name) || ReservedFields.Contains(measure.Name) || measure.Name.StartsWith('_'))
            {
                failures.Add($"{at}:Name '{measure.Name}' is empty, starts with _ or is a field every rollup already has ({string.Join(", ", ReservedFields)}).");
            }

            if (measure.ParsedKind is not { } kind)
            {
                failures.Add($"{at}:Kind '{measure.Kind}' must be Count, Sum or CountBy.");
            }
            else if (kind == MeasureKind.Count ? !string.IsNullOrEmpty(measure.Column) : string.IsNullOrEmpty(measure.Column))
            {
                failures.Add($"{at}:Column {(kind == MeasureKind.Count ? "must not be set for Kind Count" : $"is required for Kind {kind}")}.");
            }
        }

        foreach (var duplicate in set.Measures.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{path}:Measures names {duplicate.Key} {duplicate.Count()} times.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_$]{1,64}$")]
    private static partial Regex IdentifierPattern();
}
