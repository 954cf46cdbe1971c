namespace Archiver.Resilience;

/// <summary>
/// The names of Archiver's resilience pipelines in the registry the composition root builds. A
/// CouchDB pipeline is keyed by its endpoint, so each server has its own circuit breaker, shared by
/// every client and campaign that talks to it; more endpoints are more keys.
/// </summary>
public static class PipelineNames
{
    /// <summary>Archiver's MySQL operations (reads, the flag, the journal, the purge's deletes).</summary>
    public const string MySql = "mysql";

    /// <summary>Waiting for MySQL when a worker starts: retried without end, one log line per attempt.</summary>
    public const string MySqlStartup = "mysql-startup";

    private const string CouchDbPrefix = "couchdb:";

    private const string CouchDbReadPrefix = "couchdb-read:";

    /// <summary>The pipeline of the CouchDB server at <paramref name="endpoint"/>.</summary>
    public static string CouchDb(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return CouchDbPrefix + endpoint.GetLeftPart(UriPartial.Path);
    }

    /// <summary>
    /// Reads of the archive at <paramref name="endpoint"/> when replicas are configured: no retries
    /// (the read moves on to the next server instead) and a circuit breaker of its own.
    /// </summary>
    public static string CouchDbRead(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return CouchDbReadPrefix + endpoint.GetLeftPart(UriPartial.Path);
    }
}
