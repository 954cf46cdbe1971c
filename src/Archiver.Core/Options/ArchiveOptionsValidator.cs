using Microsoft.Extensions.Options;

namespace Archiver.Options;

/// <summary>Range checks for <see cref="ArchiveOptions"/>, run at start.</summary>
public sealed class ArchiveOptionsValidator : IValidateOptions<ArchiveOptions>
{
    public const int MaxBatchSize = 10_000;

    public ValidateOptionsResult Validate(string? name, ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BatchSize is < 1 or > MaxBatchSize)
        {
            failures.Add($"Archive:BatchSize must be between 1 and {MaxBatchSize:N0} (got {options.BatchSize}).");
        }

        if (options.CompletedAfter < TimeSpan.Zero)
        {
            failures.Add($"Archive:CompletedAfter must not be negative (got {options.CompletedAfter}).");
        }

        if (!CouchDbNames.IsValidDatabaseName(options.Database))
        {
            failures.Add($"Archive:Database '{options.Database}' is not a valid CouchDB database name (lower-case letter first, then a-z 0-9 _ $ ( ) + - /).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
