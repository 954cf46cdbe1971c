using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Archiver.Replication;

/// <summary>Checks the <c>Replicas</c> section at start.</summary>
public sealed partial class ReplicaOptionsValidator : IValidateOptions<ReplicaOptions>
{
    private const string S = ReplicaOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ReplicaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal) { ReplicaOptions.CentralName };
        for (var i = 0; i < options.Servers.Count; i++)
        {
            var server = options.Servers[i];
            var at = $"{S}:Servers:{i}";
            if (!NamePattern().IsMatch(server.Name))
            {
                failures.Add($"{at}:Name must be 1-64 letters, digits, '-' or '_' (got '{server.Name}').");
            }
            else if (!names.Add(server.Name))
            {
                failures.Add($"{at}:Name '{server.Name}' is used twice ('{ReplicaOptions.CentralName}' names CouchDb:Url).");
            }

            if (!Uri.TryCreate(server.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{at}:Url must be an absolute http or https URL (got '{SecretMask.Url(server.Url)}').");
            }
            else if (!string.IsNullOrEmpty(url.UserInfo))
            {
                failures.Add($"{at}:Url must not carry credentials; use {at}:Username and {at}:Password.");
            }

            if (string.IsNullOrEmpty(server.Username) != string.IsNullOrEmpty(server.Password))
            {
                failures.Add($"{at}:Username and {at}:Password must be set together.");
            }
        }

        for (var i = 0; i < options.ReadOrder.Count; i++)
        {
            if (!names.Contains(options.ReadOrder[i]))
            {
                failures.Add($"{S}:ReadOrder:{i} is '{options.ReadOrder[i]}', which is neither '{ReplicaOptions.CentralName}' nor the Name of an entry of {S}:Servers.");
            }
        }

        if (!options.ProbePath.StartsWith('/'))
        {
            failures.Add($"{S}:ProbePath must start with '/' (got '{options.ProbePath}').");
        }

        Range(failures, "ProbeInterval", options.ProbeInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Range(failures, "ReadTimeout", options.ReadTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Range(failures, "IncompleteRecheck", options.IncompleteRecheck, TimeSpan.Zero, TimeSpan.FromDays(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{S}:{key} must be between {min} and {max} (got {value}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
