using System.Text.RegularExpressions;

namespace Archiver.Hangfire.MySql;

/// <summary>Settings of <see cref="MySqlStorage"/>; defaults here, checked by <see cref="Validate"/> when the storage is built.</summary>
public sealed partial class MySqlStorageOptions
{
    /// <summary>Configuration section the worker binds (<c>Hangfire:Storage</c>).</summary>
    public const string SectionName = "Hangfire:Storage";

    /// <summary>Prepended to every table name (letters, digits and underscores, at most 20 characters; may be empty).</summary>
    public string TablePrefix { get; set; } = "hangfire_";

    /// <summary>Install or upgrade the schema when the storage is built.</summary>
    public bool PrepareSchemaIfNecessary { get; set; } = true;

    /// <summary>How long an idle worker waits before asking the queues again (a local enqueue wakes it sooner).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A fetched job whose lease has not been renewed for this long is delivered again. The keep-alive
    /// renews the lease of every running job every fifth of it, so only a dead worker's jobs come back.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan JobExpirationCheckInterval { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan CountersAggregateInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows deleted or aggregated per auto-committed batch: small enough to keep lock times short.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Most jobs a dashboard list reads.</summary>
    public int DashboardJobListLimit { get; set; } = 10_000;

    /// <summary>Attempts of a commit that lost a deadlock or a lock wait before the error is thrown.</summary>
    public int CommitAttempts { get; set; } = 5;

    /// <summary>The problems with these settings, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TablePrefix is null || TablePrefix.Length > 20 || !PrefixPattern().IsMatch(TablePrefix))
        {
            errors.Add($"{SectionName}:TablePrefix must be at most 20 letters, digits or underscores (got '{TablePrefix}').");
        }

        Positive(errors, nameof(QueuePollInterval), QueuePollInterval, TimeSpan.FromHours(1));
        Positive(errors, nameof(JobExpirationCheckInterval), JobExpirationCheckInterval, TimeSpan.FromDays(1));
        Positive(errors, nameof(CountersAggregateInterval), CountersAggregateInterval, TimeSpan.FromDays(1));
        if (InvisibilityTimeout < TimeSpan.FromSeconds(1) || InvisibilityTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"{SectionName}:InvisibilityTimeout must be between 00:00:01 and 1.00:00:00 (got {InvisibilityTimeout}).");
        }

        if (BatchSize is < 1 or > 100_000)
        {
            errors.Add($"{SectionName}:BatchSize must be between 1 and 100000 (got {BatchSize}).");
        }

        if (DashboardJobListLimit < 1)
        {
            errors.Add($"{SectionName}:DashboardJobListLimit must be positive (got {DashboardJobListLimit}).");
        }

        if (CommitAttempts is < 1 or > 100)
        {
            errors.Add($"{SectionName}:CommitAttempts must be between 1 and 100 (got {CommitAttempts}).");
        }

        return errors;
    }

    private static void Positive(List<string> errors, string name, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            errors.Add($"{SectionName}:{name} must be positive and at most {max} (got {value}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]*$")]
    private static partial Regex PrefixPattern();
}
