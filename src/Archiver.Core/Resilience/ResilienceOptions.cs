namespace Archiver.Resilience;

/// <summary>
/// The <c>Resilience</c> configuration section: how transient faults (CouchDB unreachable, timing out
/// or answering 5xx; MySQL deadlocks, lock waits and lost connections) are retried, and when a
/// CouchDB endpoint that keeps failing is given up on for a while (its circuit breaker). The older
/// <c>Retry</c> section is still read for the first three keys; <c>Resilience</c> wins where both are set.
/// </summary>
public sealed class ResilienceOptions
{
    public const string SectionName = "Resilience";

    /// <summary>The section read before <see cref="SectionName"/>, so that settings files written for earlier versions keep working.</summary>
    public const string LegacySectionName = "Retry";

    /// <summary>Tries in all, the first included; 1 disables retrying.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The pause before the first retry; each further one doubles it (with jitter).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>No pause is longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The share of failed CouchDB requests, within <see cref="BreakerSamplingDuration"/>, that opens the endpoint's circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>
    /// Requests the breaker must have seen in the sampling window before it may open. With the
    /// default 6 attempts, a dead server opens the circuit on the first request's fifth failure.
    /// </summary>
    public int BreakerMinimumThroughput { get; set; } = 5;

    /// <summary>The window the failure ratio is measured over; longer than one request's whole retry ladder.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit fails requests at once before one probe is let through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
