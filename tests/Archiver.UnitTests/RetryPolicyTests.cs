using Archiver.Retry;

namespace Archiver.UnitTests;

public sealed class RetryPolicyTests
{
    private static RetryPolicy Policy(int maxAttempts = 6, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null) =>
        new(Microsoft.Extensions.Options.Options.Create(new RetryOptions
        {
            MaxAttempts = maxAttempts,
            BaseDelay = baseDelay ?? TimeSpan.Zero,
            MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30),
        }));

    private sealed class TransientException(string message) : Exception(message);

    private sealed class PermanentException(string message) : Exception(message);

    private static bool IsTransient(Exception ex) => ex is TransientException;

    [Theory]
    [InlineData(500, 30_000)]
    [InlineData(1, 100)]
    [InlineData(600_000, 3_600_000)]
    [InlineData(10, 10)]
    [InlineData(3, 1_000)]
    public void Delays_stay_between_half_and_all_of_the_capped_exponential_ceiling(int baseMilliseconds, int maxMilliseconds)
    {
        var policy = Policy(baseDelay: TimeSpan.FromMilliseconds(baseMilliseconds), maxDelay: TimeSpan.FromMilliseconds(maxMilliseconds));
        var baseTicks = TimeSpan.FromMilliseconds(baseMilliseconds).Ticks;
        var maxTicks = TimeSpan.FromMilliseconds(maxMilliseconds).Ticks;

        for (var retry = 1; retry <= 40; retry++)
        {
            var ceiling = (long)Math.Min(maxTicks, baseTicks * Math.Pow(2, retry - 1));
            var delays = Enumerable.Range(0, 200).Select(_ => policy.DelayBefore(retry).Ticks).ToList();

            Assert.All(delays, d => Assert.InRange(d, ceiling / 2, ceiling));
            Assert.True(delays.Distinct().Count() > 1, $"retry {retry}: no jitter in {delays[0]}");
        }
    }

    [Fact]
    public void Delays_double_until_the_cap()
    {
        var policy = Policy(baseDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(10));

        Assert.InRange(policy.DelayBefore(1), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(policy.DelayBefore(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(policy.DelayBefore(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        Assert.InRange(policy.DelayBefore(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.InRange(policy.DelayBefore(40), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.InRange(policy.DelayBefore(int.MaxValue), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(31)]
    [InlineData(40)]
    public void A_zero_base_delay_retries_at_once(int retry)
    {
        Assert.Equal(TimeSpan.Zero, Policy(baseDelay: TimeSpan.Zero, maxDelay: TimeSpan.FromSeconds(30)).DelayBefore(retry));
        Assert.Equal(TimeSpan.Zero, Policy(baseDelay: TimeSpan.Zero, maxDelay: TimeSpan.Zero).DelayBefore(retry));
    }

    [Fact]
    public void Defaults_apply_without_options()
    {
        var policy = new RetryPolicy(null!);

        Assert.Equal(6, policy.MaxAttempts);
        Assert.InRange(policy.DelayBefore(1), TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(0.5));
        Assert.InRange(policy.DelayBefore(20), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
        Assert.Equal(1, RetryPolicy.None.MaxAttempts);
    }

    [Fact]
    public async Task Success_after_transient_failures_returns_the_result()
    {
        var calls = 0;
        var retries = new List<(string Message, int Attempt, TimeSpan Delay)>();

        var result = await Policy(maxAttempts: 5).ExecuteAsync(
            _ => ++calls < 3 ? throw new TransientException($"failure {calls}") : Task.FromResult("done"),
            IsTransient,
            (ex, attempt, delay) => retries.Add((ex.Message, attempt, delay)),
            CancellationToken.None);

        Assert.Equal("done", result);
        Assert.Equal(3, calls);
        Assert.Equal([("failure 1", 1, TimeSpan.Zero), ("failure 2", 2, TimeSpan.Zero)], retries);
    }

    [Fact]
    public async Task At_most_max_attempts_are_made_and_the_last_error_is_thrown()
    {
        var calls = 0;
        var attempts = new List<int>();

        var error = await Assert.ThrowsAsync<TransientException>(() => Policy(maxAttempts: 4).ExecuteAsync<int>(
            _ => throw new TransientException($"failure {++calls}"),
            IsTransient,
            (_, attempt, _) => attempts.Add(attempt),
            CancellationToken.None));

        Assert.Equal("failure 4", error.Message);
        Assert.Equal(4, calls);
        Assert.Equal([1, 2, 3], attempts);
    }

    [Fact]
    public async Task Errors_that_are_not_transient_are_not_retried()
    {
        var calls = 0;
        var retried = false;

        var error = await Assert.ThrowsAsync<PermanentException>(() => Policy().ExecuteAsync<int>(
            _ => throw new PermanentException($"failure {++calls}"),
            IsTransient,
            (_, _, _) => retried = true,
            CancellationToken.None));

        Assert.Equal("failure 1", error.Message);
        Assert.Equal(1, calls);
        Assert.False(retried);
    }

    [Fact]
    public async Task A_permanent_error_after_transient_ones_ends_the_retries()
    {
        var calls = 0;

        var error = await Assert.ThrowsAsync<PermanentException>(() => Policy().ExecuteAsync<int>(
            _ => ++calls < 3 ? throw new TransientException("transient") : throw new PermanentException($"permanent at {calls}"),
            IsTransient,
            null,
            CancellationToken.None));

        Assert.Equal("permanent at 3", error.Message);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task One_attempt_means_no_retry()
    {
        var calls = 0;

        await Assert.ThrowsAsync<TransientException>(() => Policy(maxAttempts: 1).ExecuteAsync<int>(
            _ => throw new TransientException($"failure {++calls}"), IsTransient, null, CancellationToken.None));
        await Assert.ThrowsAsync<TransientException>(() => RetryPolicy.None.ExecuteAsync<int>(
            _ => throw new TransientException($"failure {++calls}"), IsTransient, null, CancellationToken.None));

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task The_token_is_passed_to_the_operation()
    {
        using var source = new CancellationTokenSource();
        CancellationToken seen = default;

        await Policy().ExecuteAsync(t => Task.FromResult(seen = t), IsTransient, null, source.Token);

        Assert.Equal(source.Token, seen);
    }

    [Fact]
    public async Task A_failure_after_cancellation_is_thrown_without_retrying()
    {
        using var source = new CancellationTokenSource();
        var calls = 0;

        var error = await Assert.ThrowsAsync<TransientException>(() => Policy().ExecuteAsync<int>(
            _ =>
            {
                calls++;
                source.Cancel();
                throw new TransientException("failed while cancelling");
            },
            IsTransient,
            null,
            source.Token));

        Assert.Equal("failed while cancelling", error.Message);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Cancellation_during_the_pause_stops_the_retries()
    {
        using var source = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Policy(baseDelay: TimeSpan.FromMinutes(10), maxDelay: TimeSpan.FromMinutes(10)).ExecuteAsync<int>(
            _ => throw new TransientException($"failure {++calls}"),
            IsTransient,
            (_, _, _) => source.CancelAfter(TimeSpan.FromMilliseconds(20)),
            source.Token));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Cancellation_from_on_retry_stops_before_the_next_attempt()
    {
        using var source = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Policy().ExecuteAsync<int>(
            _ => throw new TransientException($"failure {++calls}"),
            IsTransient,
            (_, _, _) => source.Cancel(),
            source.Token));

        Assert.Equal(1, calls);
    }
}
