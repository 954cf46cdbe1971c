using System.Net;
using System.Text;
using Archiver.CouchDb;
using MySqlConnector;

namespace Archiver.Cli.Commands;

/// <summary>
/// The demo's marks on what it creates: a table <c>archiver_demo</c> in its MySQL database and a
/// local document <c>_local/archiver-demo</c> in each CouchDB database. A reset removes only what
/// carries the mark; anything else is left alone and named.
/// </summary>
internal static class DemoMarks
{
    public const string Table = "archiver_demo";

    private const string LocalDocument = "_local/archiver-demo";

    /// <summary>The database's tables, and whether the demo marked it.</summary>
    public static async Task<(IReadOnlyList<string> Tables, bool Marked)> InspectMySqlAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = await SchemaTables.ListAsync(connection, cancellationToken).ConfigureAwait(false);
        return (tables, tables.Contains(Table, StringComparer.OrdinalIgnoreCase));
    }

    public static async Task MarkMySqlAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"CREATE TABLE IF NOT EXISTS {Table} (created_at DATETIME(3) NOT NULL, note VARCHAR(200) NOT NULL); " +
            $"INSERT INTO {Table} SELECT UTC_TIMESTAMP(3), 'created by archiver demo seed; archiver demo seed --reset may drop this database''s tables' FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM {Table})",
            connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when the database does not exist, else whether the demo marked it.</summary>
    public static async Task<bool?> IsCouchDbMarkedAsync(HttpClient http, CouchDbClient couch, string database, CancellationToken cancellationToken)
    {
        if (await couch.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        using var response = await http.GetAsync(new Uri($"{Uri.EscapeDataString(database)}/{LocalDocument}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK;
    }

    public static async Task MarkCouchDbAsync(HttpClient http, CouchDbClient couch, string database, CancellationToken cancellationToken)
    {
        await couch.EnsureDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
        using var body = new StringContent("""{"created_by":"archiver demo seed"}""", Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(new Uri($"{Uri.EscapeDataString(database)}/{LocalDocument}", UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new ArchiverException($"CouchDB PUT /{database}/{LocalDocument} failed: {(int)response.StatusCode}");
        }
    }
}
