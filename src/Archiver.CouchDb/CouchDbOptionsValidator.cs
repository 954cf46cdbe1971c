using Microsoft.Extensions.Options;

namespace Archiver.CouchDb;

/// <summary>Checks the <c>CouchDb</c> section at start.</summary>
public sealed class CouchDbOptionsValidator : IValidateOptions<CouchDbOptions>
{
    public ValidateOptionsResult Validate(string? name, CouchDbOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"CouchDb:Url must be an absolute http or https URL (got '{SecretMask.Url(options.Url)}').");
        }
        else if (!string.IsNullOrEmpty(url.UserInfo))
        {
            failures.Add("CouchDb:Url must not carry credentials; use CouchDb:Username and CouchDb:Password.");
        }

        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add("CouchDb:Username and CouchDb:Password must be set together.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromDays(1))
        {
            failures.Add($"CouchDb:Timeout must be positive and at most a day (got {options.Timeout}).");
        }

        if (options.ViewTimeout <= TimeSpan.Zero || options.ViewTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"CouchDb:ViewTimeout must be positive and at most a day (got {options.ViewTimeout}).");
        }

        if (options.MaxDocumentBytes is < 1024 or > 4_294_967_296)
        {
            failures.Add($"CouchDb:MaxDocumentBytes must be between 1,024 and 4,294,967,296 (got {options.MaxDocumentBytes:N0}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
