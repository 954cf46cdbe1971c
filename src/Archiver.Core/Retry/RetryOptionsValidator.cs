using Microsoft.Extensions.Options;

namespace Archiver.Retry;

/// <summary>Range checks for <see cref="RetryOptions"/>, run at start.</summary>
public sealed class RetryOptionsValidator : IValidateOptions<RetryOptions>
{
    public ValidateOptionsResult Validate(string? name, RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"Retry:MaxAttempts must be between 1 and 100 (got {options.MaxAttempts}).");
        }

        if (options.BaseDelay < TimeSpan.Zero || options.BaseDelay > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Retry:BaseDelay must be between 0 and 10 minutes (got {options.BaseDelay}).");
        }

        if (options.MaxDelay < options.BaseDelay || options.MaxDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"Retry:MaxDelay must be between Retry:BaseDelay and 1 hour (got {options.MaxDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
