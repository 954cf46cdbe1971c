using MySqlConnector;

namespace Archiver.MySql.Schema;

/// <summary>The users' schema (<c>textme.sql</c>, for the demo, tests and benches), embedded; safe to run again.</summary>
public static class SchemaInstaller
{
    public static string Script { get; } = ReadScript("Archiver.MySql.Schema.textme.sql");

    /// <summary>Installs the users' schema, then migrates Archiver's own (<see cref="ArchiverSchema"/>).</summary>
    public static async Task InstallAsync(MySqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using (var command = new MySqlCommand(Script, connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ArchiverSchema.MigrateAsync(connection, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string ReadScript(string name)
    {
        using var stream = typeof(SchemaInstaller).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {typeof(SchemaInstaller).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
