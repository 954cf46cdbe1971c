using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.MySql;

/// <summary>Checks that <c>ConnectionStrings:MySql</c> parses and names a server and a database.</summary>
public sealed class MySqlSourceOptionsValidator : IValidateOptions<MySqlSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, MySqlSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail("ConnectionStrings:MySql is missing.");
        }

        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:MySql is not a valid MySQL connection string: {ex.Message}");
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
