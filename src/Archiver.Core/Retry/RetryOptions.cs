namespace Archiver.Retry;

/// <summary>
/// The <c>Retry</c> configuration section: how transient faults (CouchDB unreachable, timing out or
/// answering 5xx; MySQL deadlocks, lock waits and lost connections) are retried, by both clients.
/// </summary>
public sealed class RetryOptions
{
    public const string SectionName = "Retry";

    /// <summary>Tries in all, the first included; 1 disables retrying.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The pause before the first retry; each further one doubles it.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>No pause is longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
