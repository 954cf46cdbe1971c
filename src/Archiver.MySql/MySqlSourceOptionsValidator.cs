using Microsoft.Extensions.Options;

namespace Archiver.MySql;

/// <summary>Checks that <c>ConnectionStrings:MySql</c> parses and names a server and a database.</summary>
public sealed class MySqlSourceOptionsValidator : IValidateOptions<MySqlSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, MySqlSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (MySqlConnectionStrings.TryParse("ConnectionStrings:MySql", options.ConnectionString, out var error) is not { } builder)
        {
            return ValidateOptionsResult.Fail(error!);
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(builder.Server))
        {
            failures.Add("ConnectionStrings:MySql names no Server.");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            failures.Add("ConnectionStrings:MySql names no Database.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
