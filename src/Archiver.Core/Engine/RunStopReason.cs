namespace Archiver.Engine;

/// <summary>Why an archive or purge run ended.</summary>
public enum RunStopReason
{
    /// <summary>Every eligible campaign was processed.</summary>
    Completed,

    /// <summary>The request's maximum run time was reached (<c>--max-runtime</c>).</summary>
    TimeLimit,

    /// <summary>The run was cancelled (Ctrl+C, SIGTERM).</summary>
    Cancelled,

    /// <summary>A server's circuit breaker opened (it kept failing); the campaign that met it failed and names the server.</summary>
    ServiceUnavailable,
}
