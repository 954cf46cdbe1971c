using MySqlConnector;

namespace Archiver.MySql.Schema;

/// <summary>The embedded SQL scripts: the users' schema (<c>textme.sql</c>, for the demo and tests) and Archiver's own table (<c>archiver.sql</c>). Both are safe to run again.</summary>
public static class SchemaInstaller
{
    public static string Script { get; } = ReadScript("Archiver.MySql.Schema.textme.sql");

    public static string ArchiverScript { get; } = ReadScript("Archiver.MySql.Schema.archiver.sql");

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
