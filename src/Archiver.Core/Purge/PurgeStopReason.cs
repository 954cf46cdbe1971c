namespace Archiver.Purge;

public enum PurgeStopReason
{
    /// <summary>Every eligible campaign was processed.</summary>
    Completed,

    /// <summary>The request's maximum run time was reached.</summary>
    MaxRuntime,

    /// <summary>The run was cancelled (Ctrl+C, SIGTERM).</summary>
    Cancelled,

    /// <summary>A server's circuit breaker opened (it kept failing); the campaign that met it names the server.</summary>
    ServiceUnavailable,
}
