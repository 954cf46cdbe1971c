using MySqlConnector;

namespace Archiver.MySql;

/// <summary>Reads a configured MySQL connection string without ever echoing it.</summary>
public static class MySqlConnectionStrings
{
    /// <summary>The parsed connection string, or null with <paramref name="error"/> naming the key (never a fragment of the value).</summary>
    public static MySqlConnectionStringBuilder? TryParse(string key, string? connectionString, out string? error)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = $"{key} is missing.";
            return null;
        }

        try
        {
            error = null;
            return new MySqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The driver's message quotes the option it could not read, which for an unquoted ';' in
            // a password is the password's tail: say what is wrong without echoing any of it.
            error = $"{key} is not a valid MySQL connection string (an option name is not recognised; put a value that holds ';' or '=' in double quotes).";
            return null;
        }
    }

    /// <summary>Where the server is, for messages: <c>127.0.0.1:3306</c>.</summary>
    public static string Endpoint(MySqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return FormattableString.Invariant($"{builder.Server}:{builder.Port}");
    }
}
