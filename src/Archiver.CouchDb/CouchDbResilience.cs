using System.Globalization;
using Archiver.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Archiver.CouchDb;

/// <summary>
/// The resilience pipeline of one CouchDB endpoint, outermost first: the retry (backoff and jitter),
/// the endpoint's circuit breaker (one per endpoint, shared by every request to it), and the
/// timeout of each attempt (<see cref="PipelineProperties.AttemptTimeout"/>, set per request
/// because a view build may take hours where a document takes seconds).
/// </summary>
public static class CouchDbResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceOptions options, Uri endpoint, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(logger);
        var where = endpoint.GetLeftPart(UriPartial.Path);
        builder
            .AddArchiverRetry(options, IsTransient, args => Log.Retrying(
                logger, PipelineProperties.OperationOf(args.Context, "a request"), Describe(args.Outcome), args.RetryDelay.TotalSeconds))
            .AddCircuitBreaker(ResilienceStrategies.CircuitBreaker<HttpResponseMessage>(
                options, IsTransient, args => Log.CircuitOpened(logger, where, args.BreakDuration.TotalSeconds), () => Log.CircuitClosed(logger, where)))
            .AddTimeout(new TimeoutStrategyOptions { TimeoutGenerator = AttemptTimeout });
    }

    /// <summary>The attempt's timeout, as the request set it (<see cref="PipelineProperties.AttemptTimeout"/>); none when unset.</summary>
    internal static ValueTask<TimeSpan> AttemptTimeout(TimeoutGeneratorArguments args) => ValueTask.FromResult(
        args.Context.Properties.TryGetValue(PipelineProperties.AttemptTimeout, out var timeout) ? timeout : Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Worth another attempt, and a failure in the breaker's eyes: no answer, no answer in time, or
    /// an answer that says the server is overloaded, restarting or failed on its own.
    /// </summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: CouchDbException couch } => couch.IsTransient,
        { Exception: TimeoutRejectedException } => true,
        { Exception: null, Result: { } response } => CouchDbException.IsTransientStatus(response.StatusCode),
        _ => false,
    };

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: CouchDbException couch } => couch.Error,
        { Exception: TimeoutRejectedException timeout } => $"timeout after {timeout.Timeout.TotalSeconds:F0} s",
        { Exception: { } other } => other.GetType().Name,
        { Result: { } response } => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
        _ => "unknown",
    };
}
