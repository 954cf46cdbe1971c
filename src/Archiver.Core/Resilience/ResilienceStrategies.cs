using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Archiver.Resilience;

/// <summary>
/// Strategy options derived from <see cref="ResilienceOptions"/>, so that MySQL and CouchDB back off
/// the same way: exponential from <see cref="ResilienceOptions.BaseDelay"/>, capped by
/// <see cref="ResilienceOptions.MaxDelay"/>, with jitter so that several archivers knocked over by
/// one outage do not come back in step.
/// </summary>
public static class ResilienceStrategies
{
    /// <summary>Adds the retry, unless <see cref="ResilienceOptions.MaxAttempts"/> is 1.</summary>
    public static ResiliencePipelineBuilder<T> AddArchiverRetry<T>(
        this ResiliencePipelineBuilder<T> builder, ResilienceOptions options, Func<Outcome<T>, bool> isTransient, Action<OnRetryArguments<T>> onRetry)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxAttempts <= 1 ? builder : builder.AddRetry(Retry(new RetryStrategyOptions<T>(), options, isTransient, onRetry));
    }

    /// <summary>As above, for a pipeline that runs operations of any result type.</summary>
    public static ResiliencePipelineBuilder AddArchiverRetry(
        this ResiliencePipelineBuilder builder, ResilienceOptions options, Func<Outcome<object>, bool> isTransient, Action<OnRetryArguments<object>> onRetry)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxAttempts <= 1 ? builder : builder.AddRetry(Retry(new RetryStrategyOptions(), options, isTransient, onRetry));
    }

    private static TRetry Retry<TRetry, T>(TRetry retry, ResilienceOptions options, Func<Outcome<T>, bool> isTransient, Action<OnRetryArguments<T>> onRetry)
        where TRetry : RetryStrategyOptions<T>
    {
        ArgumentNullException.ThrowIfNull(isTransient);
        ArgumentNullException.ThrowIfNull(onRetry);
        retry.MaxRetryAttempts = options.MaxAttempts - 1;
        retry.BackoffType = DelayBackoffType.Exponential;
        retry.UseJitter = true;
        retry.Delay = options.BaseDelay;
        retry.MaxDelay = options.MaxDelay;
        retry.ShouldHandle = args => ValueTask.FromResult(!args.Context.CancellationToken.IsCancellationRequested && isTransient(args.Outcome));
        retry.OnRetry = args =>
        {
            onRetry(args);
            return default;
        };
        return retry;
    }

    /// <summary>The circuit breaker of one endpoint: it opens on what <paramref name="isFailure"/> counts.</summary>
    public static CircuitBreakerStrategyOptions<T> CircuitBreaker<T>(
        ResilienceOptions options, Func<Outcome<T>, bool> isFailure, Action<OnCircuitOpenedArguments<T>> onOpened, Action onClosed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(isFailure);
        ArgumentNullException.ThrowIfNull(onOpened);
        ArgumentNullException.ThrowIfNull(onClosed);
        return new CircuitBreakerStrategyOptions<T>
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(isFailure(args.Outcome)),
            OnOpened = args =>
            {
                onOpened(args);
                return default;
            },
            OnClosed = _ =>
            {
                onClosed();
                return default;
            },
        };
    }
}
