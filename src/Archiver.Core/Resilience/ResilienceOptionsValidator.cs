using Microsoft.Extensions.Options;

namespace Archiver.Resilience;

/// <summary>Range checks for <see cref="ResilienceOptions"/>, run at start (the breaker's limits are Polly's own).</summary>
public sealed class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>
{
    private const string S = ResilienceOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"{S}:MaxAttempts must be between 1 and 100 (got {options.MaxAttempts}).");
        }

        if (options.BaseDelay < TimeSpan.Zero || options.BaseDelay > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{S}:BaseDelay must be between 0 and 10 minutes (got {options.BaseDelay}).");
        }

        if (options.MaxDelay < options.BaseDelay || options.MaxDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:MaxDelay must be between {S}:BaseDelay and 1 hour (got {options.MaxDelay}).");
        }

        if (!(options.BreakerFailureRatio is > 0 and <= 1))
        {
            failures.Add($"{S}:BreakerFailureRatio must be above 0 and at most 1 (got {options.BreakerFailureRatio}).");
        }

        if (options.BreakerMinimumThroughput is < 2 or > 10_000)
        {
            failures.Add($"{S}:BreakerMinimumThroughput must be between 2 and 10,000 (got {options.BreakerMinimumThroughput}).");
        }

        if (options.BreakerSamplingDuration < TimeSpan.FromSeconds(0.5) || options.BreakerSamplingDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:BreakerSamplingDuration must be between 0.5 seconds and a day (got {options.BreakerSamplingDuration}).");
        }

        if (options.BreakDuration < TimeSpan.FromSeconds(0.5) || options.BreakDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:BreakDuration must be between 0.5 seconds and a day (got {options.BreakDuration}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
