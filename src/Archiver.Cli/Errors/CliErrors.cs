using System.Text.RegularExpressions;
using Archiver.CouchDb;
using Archiver.Hangfire.MySql;
using Archiver.MySql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.Cli.Errors;

/// <summary>
/// The one translation from an exception to what the operator sees: one line (no stack trace, no
/// .NET type name, credentials masked by <see cref="Redactor"/> on the way out) and the exit code of
/// <see cref="ExitCodes"/>. Every command goes through it via <see cref="CliServices"/>; a new
/// command gets the same behaviour by doing the same, and a new kind of infrastructure error needs
/// one case here.
/// </summary>
internal static partial class CliErrors
{
    public static (int ExitCode, string Message) Describe(Exception exception, IConfiguration? configuration, bool interrupted)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception switch
        {
            OperationCanceledException when interrupted => (ExitCodes.Interrupted, "interrupted"),
            ArchiverConfigurationException e => (ExitCodes.Usage, e.Message),
            OptionsValidationException e => (ExitCodes.Usage, "configuration error: " + string.Join(" ", e.Failures)),
            CouchDbException { StatusCode: null } e => (ExitCodes.Failure, WithEndpoint(e.Message, CouchDbEndpoint(configuration))),
            CouchDbException { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } e =>
                (ExitCodes.Failure, $"{e.Message} (CouchDB at {CouchDbEndpoint(configuration)}: check CouchDb:Username and CouchDb:Password)"),
            ArchiverException { InnerException: MySqlException inner } e => (ExitCodes.Failure, WithMySqlEndpoint(e.Message, inner, configuration)),
            ArchiverException e => (ExitCodes.Failure, e.Message),
            MySqlException e => (ExitCodes.Failure, MySql(e, configuration)),
            MySqlStorageException e => (ExitCodes.Failure, "Hangfire storage: " + e.Message),
            HttpRequestException e => (ExitCodes.Failure, $"CouchDB at {CouchDbEndpoint(configuration)}: {e.Message}"),
            TimeoutException e => (ExitCodes.Failure, e.Message),
            IOException e => (ExitCodes.Failure, e.Message),
            UnauthorizedAccessException e => (ExitCodes.Failure, e.Message),

            // An ArgumentException is a usage error only where the query API refuses a caller's value
            // (QueryCommands says so); anywhere else it is a bug, perhaps halfway through a purge.
            _ => (ExitCodes.Unexpected, $"internal error: {exception.Message} (set ARCHIVER_DEBUG=1 for the details, and please report it)"),
        };
    }

    /// <summary>The MySQL server as the configuration names it, for messages: <c>127.0.0.1:3306</c>.</summary>
    public static string MySqlEndpoint(IConfiguration? configuration) =>
        configuration?.GetConnectionString("MySql") is { } text && MySqlConnectionStrings.TryParse("ConnectionStrings:MySql", text, out _) is { } builder
            ? MySqlConnectionStrings.Endpoint(builder)
            : "(ConnectionStrings:MySql)";

    public static string CouchDbEndpoint(IConfiguration? configuration) =>
        SecretMask.Url(configuration?[$"{CouchDbOptions.SectionName}:Url"] ?? new CouchDbOptions().Url);

    /// <summary>The message, naming the server unless it already does.</summary>
    private static string WithEndpoint(string message, string endpoint) =>
        message.Contains(endpoint, StringComparison.Ordinal) ? message : $"{message} (CouchDB at {endpoint})";

    /// <summary>
    /// An error of ours wrapping the driver's: a server that cannot be reached is named with host and
    /// port, unless the message names it already (the job storage's server may not be ConnectionStrings:MySql's).
    /// </summary>
    private static string WithMySqlEndpoint(string message, MySqlException inner, IConfiguration? configuration) =>
        inner.ErrorCode == MySqlErrorCode.UnableToConnectToHost && !message.Contains("MySQL at ", StringComparison.Ordinal)
            ? $"{message} (MySQL at {MySqlEndpoint(configuration)})"
            : message;

    private static string MySql(MySqlException exception, IConfiguration? configuration)
    {
        var where = $"MySQL at {MySqlEndpoint(configuration)}";
        return exception.ErrorCode switch
        {
            MySqlErrorCode.UnableToConnectToHost => $"{where} is unreachable (is the server running? check ConnectionStrings:MySql)",
            MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied => $"{where} refused the credentials: {exception.Message} (check ConnectionStrings:MySql)",
            MySqlErrorCode.UnknownDatabase => $"{where}: {exception.Message} (create it, or name another Database in ConnectionStrings:MySql)",
            _ => $"{where}: {exception.Message}",
        };
    }

    /// <summary>An argument exception's message without the runtime's "(Parameter 'x')" and "Actual value was" tails.</summary>
    public static string Clean(ArgumentException exception)
    {
        var text = ParameterTail().Replace(exception.Message, "");
        return text.Trim();
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)|\s*Actual value was [^\r\n]*", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterTail();
}
