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

    /// <summary>The mark's id, as <c>_local/archiver-demo</c>.</summary>
    private const string LocalDocument = "archiver-demo";

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
    public static async Task<bool?> IsCouchDbMarkedAsync(CouchDbClient couch, string database, CancellationToken cancellationToken)
    {
        if (await couch.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        using var mark = await couch.GetLocalAsync(database, LocalDocument, cancellationToken).ConfigureAwait(false);
        return mark is not null;
    }

    public static async Task MarkCouchDbAsync(CouchDbClient couch, string database, CancellationToken cancellationToken)
    {
        await couch.EnsureDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
        await couch.PutLocalAsync(database, LocalDocument, new Dictionary<string, string> { ["created_by"] = "archiver demo seed" }, cancellationToken).ConfigureAwait(false);
    }
}
