using Microsoft.Extensions.Options;

namespace Archiver.Retry;

/// <summary>
/// Exponential backoff with jitter: the n-th retry waits a random time between half and all of
/// min(<see cref="RetryOptions.MaxDelay"/>, <see cref="RetryOptions.BaseDelay"/> × 2^(n−1)), so that
/// several archivers knocked over by the same outage do not come back in step. Only what the caller
/// calls transient is retried, and only an operation that is safe to repeat may be given to it.
/// </summary>
public sealed class RetryPolicy(IOptions<RetryOptions> options)
{
    private readonly RetryOptions _options = options?.Value ?? new RetryOptions();

    /// <summary>A policy that tries once.</summary>
    public static RetryPolicy None { get; } = new(Microsoft.Extensions.Options.Options.Create(new RetryOptions { MaxAttempts = 1 }));

    public int MaxAttempts => _options.MaxAttempts;

    /// <summary>The pause before retry number <paramref name="retry"/> (1 for the first).</summary>
    public TimeSpan DelayBefore(int retry)
    {
        // min(MaxDelay, BaseDelay × 2^exponent) without overflow; a zero BaseDelay means no pause at all.
        var exponent = Math.Clamp(retry - 1, 0, 30);
        var ceiling = _options.BaseDelay.Ticks > _options.MaxDelay.Ticks >> exponent ? _options.MaxDelay.Ticks : _options.BaseDelay.Ticks << exponent;

        return TimeSpan.FromTicks((ceiling / 2) + (long)(Random.Shared.NextDouble() * (ceiling / 2)));
    }

    /// <summary>
    /// Runs <paramref name="operation"/>, retrying it while it throws what <paramref name="isTransient"/>
    /// accepts and attempts remain; <paramref name="onRetry"/> hears of each retry before its pause.
    /// The last failure is thrown as it is.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(
        Func<CancellationToken, Task<T>> operation, Func<Exception, bool> isTransient, Action<Exception, int, TimeSpan>? onRetry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(isTransient);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < _options.MaxAttempts && !cancellationToken.IsCancellationRequested && isTransient(ex))
            {
                var delay = DelayBefore(attempt);
                onRetry?.Invoke(ex, attempt, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
