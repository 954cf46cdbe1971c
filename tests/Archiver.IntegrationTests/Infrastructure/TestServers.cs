namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// The real servers the integration tests use, from environment variables that
/// <c>scripts/test.sh</c> sets. A test that cannot reach them fails; it never skips.
/// </summary>
public static class TestServers
{
    public const string MySqlVariable = "ARCHIVER_TEST_MYSQL";
    public const string CouchDbVariable = "ARCHIVER_TEST_COUCHDB";

    private const string Hint =
        "run ./scripts/test.sh, or start the services with ./scripts/services.sh up and export " +
        "ARCHIVER_TEST_MYSQL='Server=127.0.0.1;Port=3306;User ID=archiver;Password=archiver' ARCHIVER_TEST_COUCHDB=http://127.0.0.1:5984/";

    /// <summary>A MySQL connection string without a database, for a user that may create <c>archiver_test_*</c> databases.</summary>
    public static string MySql => Require(MySqlVariable);

    public static Uri CouchDb => new(Require(CouchDbVariable).TrimEnd('/') + "/");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: {Hint}");
}
