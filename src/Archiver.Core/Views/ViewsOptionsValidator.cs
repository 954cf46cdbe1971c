using Microsoft.Extensions.Options;

namespace Archiver.Views;

/// <summary>Checks the <c>Views</c> section at start.</summary>
public sealed class ViewsOptionsValidator : IValidateOptions<ViewsOptions>
{
    public ValidateOptionsResult Validate(string? name, ViewsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Node))
        {
            failures.Add("Views:Node must name the Node.js executable (e.g. node).");
        }

        if (options.ProgressInterval < TimeSpan.FromMilliseconds(100) || options.ProgressInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Views:ProgressInterval must be between 100 ms and 10 minutes (got {options.ProgressInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
