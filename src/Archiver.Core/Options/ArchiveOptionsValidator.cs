using Microsoft.Extensions.Options;

namespace Archiver.Options;

/// <summary>Range checks for <see cref="ArchiveOptions"/>, run at start.</summary>
public sealed class ArchiveOptionsValidator : IValidateOptions<ArchiveOptions>
{
    public const int MaxBatchSize = 10_000;

    /// <summary>Ten years: anything longer is a typo, and would overflow date arithmetic.</summary>
    public static readonly TimeSpan MaxCompletedAfter = TimeSpan.FromDays(3650);

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

        if (!CouchDbNames.IsValidDatabaseName(options.Database))
        {
            failures.Add($"Archive:Database '{options.Database}' is not a valid CouchDB database name (lower-case letter first, then a-z 0-9 _ $ ( ) + - /).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
