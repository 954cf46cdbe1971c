using Microsoft.Extensions.Options;

namespace Archiver.Purge;

/// <summary>Range checks for <see cref="PurgeOptions"/>, run at start; <see cref="PurgeEngine"/> applies the same limits to a request's overrides.</summary>
public sealed class PurgeOptionsValidator : IValidateOptions<PurgeOptions>
{
    /// <summary>A transaction deleting more rows holds its locks, and grows its undo log, for longer than any gain is worth.</summary>
    public const int MaxBatchSize = 50_000;

    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, PurgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (BatchSizeProblem(options.BatchSize) is { } batch)
        {
            failures.Add($"Purge:BatchSize {batch}.");
        }

        if (SleepProblem(options.Sleep) is { } sleep)
        {
            failures.Add($"Purge:Sleep {sleep}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static string? BatchSizeProblem(int batchSize) =>
        batchSize is < 1 or > MaxBatchSize ? $"must be between 1 and {MaxBatchSize:N0} (got {batchSize})" : null;

    internal static string? SleepProblem(TimeSpan sleep) =>
        sleep < TimeSpan.Zero || sleep > MaxSleep ? $"must be between 0 and {MaxSleep.TotalMinutes:N0} minutes (got {sleep})" : null;
}
