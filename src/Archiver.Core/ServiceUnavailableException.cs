namespace Archiver;

/// <summary>
/// A server's circuit breaker is open: its recent requests kept failing, so for a while every
/// request to it fails at once instead of waiting out its own retries. A run stops at this point
/// rather than trying each remaining campaign against a server that is down.
/// </summary>
public sealed class ServiceUnavailableException(string service, string endpoint, TimeSpan? retryAfter, Exception? innerException = null)
    : ArchiverException(
        $"{service} at {endpoint} is unavailable: its requests kept failing, so its circuit breaker opened{(retryAfter is { } after ? $" for {after.TotalSeconds:F0} s" : "")}; stopping instead of trying the remaining work",
        innerException)
{
    public string Service { get; } = service;

    public string Endpoint { get; } = endpoint;

    public override bool IsTransient => true;
}
