using Archiver.CouchDb;
using Archiver.MySql;
using Archiver.Resilience;
using Microsoft.Extensions.Logging;
using Polly.Registry;

namespace Archiver.Hosting;

/// <summary>
/// Archiver's resilience pipelines, configured once and kept by name (<see cref="PipelineNames"/>)
/// in one registry for the process: a pipeline is built on first use and then shared, so each
/// CouchDB endpoint has one circuit breaker for every client and campaign that talks to it.
/// </summary>
public static class ArchiverPipelines
{
    /// <summary>
    /// The registry with the MySQL pipelines and one CouchDB pipeline per endpoint in
    /// <paramref name="couchEndpoints"/> (more endpoints, e.g. replicas, are more keys).
    /// </summary>
    /// <param name="options">The <c>Resilience</c> section.</param>
    /// <param name="couchEndpoints">Every CouchDB server written to or read from.</param>
    /// <param name="loggerFactory">For the pipelines' log lines.</param>
    /// <param name="readEndpoints">Servers reads fail over between (<see cref="PipelineNames.CouchDbRead"/>): one attempt each, since another server can answer.</param>
    public static ResiliencePipelineRegistry<string> Create(
        ResilienceOptions options, IEnumerable<Uri> couchEndpoints, ILoggerFactory loggerFactory, IEnumerable<Uri>? readEndpoints = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(couchEndpoints);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var registry = new ResiliencePipelineRegistry<string>();
        var mysql = loggerFactory.CreateLogger("Archiver.MySql");
        registry.TryAddBuilder(PipelineNames.MySql, (builder, _) => MySqlResilience.Configure(builder, options, mysql));
        registry.TryAddBuilder(PipelineNames.MySqlStartup, (builder, _) => MySqlResilience.ConfigureStartup(builder, options, mysql));
        var couch = loggerFactory.CreateLogger("Archiver.CouchDb");
        foreach (var endpoint in couchEndpoints)
        {
            registry.TryAddBuilder<HttpResponseMessage>(PipelineNames.CouchDb(endpoint), (builder, _) => CouchDbResilience.Configure(builder, options, endpoint, couch));
        }

        var once = new ResilienceOptions
        {
            MaxAttempts = 1,
            BreakerFailureRatio = options.BreakerFailureRatio,
            BreakerMinimumThroughput = options.BreakerMinimumThroughput,
            BreakerSamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
        };
        foreach (var endpoint in readEndpoints ?? [])
        {
            registry.TryAddBuilder<HttpResponseMessage>(PipelineNames.CouchDbRead(endpoint), (builder, _) => CouchDbResilience.Configure(builder, once, endpoint, couch));
        }

        return registry;
    }
}
