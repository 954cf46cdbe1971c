using MySqlConnector;

namespace Archiver.MySql.Schema;

/// <summary>The embedded SQL scripts: the users' schema (<c>textme.sql</c>, for the demo and tests) and Archiver's own table (<c>archiver.sql</c>). Both are safe to run again.</summary>
public static class SchemaInstaller
{
    public static string Script { get; } = ReadScript("Archiver.MySql.Schema.textme.sql");

    public static string ArchiverScript { get; } = ReadScript("Archiver.MySql.Schema.archiver.sql");

    /// <summary>Every table <see cref="ArchiverScript"/> creates: when one is missing (a first run, or an older version), the script runs.</summary>
    public static IReadOnlyList<string> ArchiverTables { get; } = ["archiver_campaign_runs", "archiver_purge_sets", "archiver_archived_sets"];

    /// <summary>
    /// Runs <see cref="ArchiverScript"/> unless every one of <see cref="ArchiverTables"/> exists. Existence is asked
    /// first because <c>CREATE TABLE IF NOT EXISTS</c> still needs the CREATE privilege, which a production
    /// account may lack once an administrator has created the tables.
    /// </summary>
    public static async Task<int> EnsureArchiverTablesAsync(MySqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var count = new MySqlCommand(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ("
            + string.Join(", ", ArchiverTables.Select(t => "'" + t + "'")) + ")", connection);
        var existing = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (existing == ArchiverTables.Count)
        {
            return 0;
        }

        await using var create = new MySqlCommand(ArchiverScript, connection);
        return await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Installs the users' schema and Archiver's table.</summary>
    public static async Task InstallAsync(MySqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new MySqlCommand(Script + "\n" + ArchiverScript, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReadScript(string name)
    {
        using var stream = typeof(SchemaInstaller).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {typeof(SchemaInstaller).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
