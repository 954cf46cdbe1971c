using System.Net.Http.Headers;
using System.Text;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// The real servers the integration tests use, from environment variables that
/// <c>scripts/test.sh</c> sets. A test that cannot reach them fails; it never skips.
/// </summary>
public static class TestServers
{
    public const string MySqlVariable = "ARCHIVER_TEST_MYSQL";
    public const string CouchDbVariable = "ARCHIVER_TEST_COUCHDB";

    /// <summary>CouchDB 3 has no admin party: the suite runs as this user (a server admin: tests create and drop databases).</summary>
    public const string CouchDbUserVariable = "ARCHIVER_TEST_COUCHDB_USER";

    public const string CouchDbPasswordVariable = "ARCHIVER_TEST_COUCHDB_PASSWORD";

    private const string Hint =
        "run ./scripts/test.sh, or start the services with ./scripts/services.sh up and export " +
        "ARCHIVER_TEST_MYSQL='Server=127.0.0.1;Port=3306;User ID=archiver;Password=archiver' ARCHIVER_TEST_COUCHDB=http://127.0.0.1:5984/ " +
        "(and ARCHIVER_TEST_COUCHDB_USER / ARCHIVER_TEST_COUCHDB_PASSWORD for a server that needs them)";

    /// <summary>A MySQL connection string without a database, for a user that may create <c>archiver_test_*</c> databases.</summary>
    public static string MySql => Require(MySqlVariable);

    public static Uri CouchDb => new(Require(CouchDbVariable).TrimEnd('/') + "/");

    /// <summary>The CouchDB user, or null for an admin-party server (pouchdb-server as <c>services.sh</c> starts it).</summary>
    public static string? CouchDbUser => Environment.GetEnvironmentVariable(CouchDbUserVariable) is { Length: > 0 } user ? user : null;

    public static string? CouchDbPassword => CouchDbUser is null ? null : Environment.GetEnvironmentVariable(CouchDbPasswordVariable) ?? "";

    /// <summary>True when the suite runs against a server that checks credentials (a real CouchDB 3).</summary>
    public static bool HasCredentials => CouchDbUser is not null;

    /// <summary>The basic-auth header value for the test user, or null without one.</summary>
    public static AuthenticationHeaderValue? CouchDbAuthorization => CouchDbUser is { } user
        ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{CouchDbPassword}")))
        : null;

    /// <summary>An HTTP client on the test CouchDB as the test user, through <paramref name="handler"/> when given.</summary>
    public static HttpClient CouchDbHttp(HttpMessageHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = CouchDb;
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.Authorization = CouchDbAuthorization;
        return http;
    }

    /// <summary>The <c>CouchDb__*</c> settings of a child <c>archiver</c> on the test server as the test user.</summary>
    public static void AddCouchDbSettings(IDictionary<string, string> settings, string? url = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["CouchDb__Url"] = url ?? CouchDb.ToString();
        if (CouchDbUser is { } user)
        {
            settings["CouchDb__Username"] = user;
            settings["CouchDb__Password"] = CouchDbPassword!;
        }
    }

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: {Hint}");
}
