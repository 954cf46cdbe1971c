using MySqlConnector;

namespace Archiver.Cli.Commands;

/// <summary>The tables of the connection's database, for <c>doctor</c> and the demo's reset (read-only).</summary>
internal static class SchemaTables
{
    public static async Task<IReadOnlyList<string>> ListAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = new List<string>();
        await using var command = new MySqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
