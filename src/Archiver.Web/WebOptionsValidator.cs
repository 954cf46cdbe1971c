using Archiver.Queries;
using Microsoft.Extensions.Options;

namespace Archiver.Web;

/// <summary>Checks <c>Web</c> at start, each failure naming its key.</summary>
internal sealed class WebOptionsValidator(IOptions<QueryOptions> queries) : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var max = queries.Value.MaxPerPage;
        var failures = new List<string>();
        if (options.DefaultPerPage < 1 || options.DefaultPerPage > max)
        {
            failures.Add($"Web:DefaultPerPage must be from 1 to Queries:MaxPerPage ({max}), not {options.DefaultPerPage}.");
        }

        if (options.PerPageChoices.Count == 0 || options.PerPageChoices.Any(c => c < 1 || c > max))
        {
            failures.Add($"Web:PerPageChoices must list numbers from 1 to Queries:MaxPerPage ({max}).");
        }

        if (options.MaxChartBuckets is < 10 or > 100_000)
        {
            failures.Add($"Web:MaxChartBuckets must be from 10 to 100000, not {options.MaxChartBuckets}.");
        }

        if (options.ArchivedMaxAge < TimeSpan.Zero || options.ArchivedMaxAge > TimeSpan.FromDays(365))
        {
            failures.Add($"Web:ArchivedMaxAge must be from 0 to 365 days, not {options.ArchivedMaxAge}.");
        }

        if (string.IsNullOrEmpty(options.Dashboard.Username) != string.IsNullOrEmpty(options.Dashboard.Password))
        {
            failures.Add("Web:Dashboard:Username and Web:Dashboard:Password must be set together.");
        }

        if (options.Dashboard.Password is { Length: > 0 and < 12 })
        {
            failures.Add("Web:Dashboard:Password must be at least 12 characters long.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
