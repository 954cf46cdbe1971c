using MySqlConnector;

namespace Archiver.MySql.Schema;

/// <summary>Installs the users' schema (<c>Schema/textme.sql</c>, embedded) into a database; safe to run again.</summary>
public static class SchemaInstaller
{
    private const string ResourceName = "Archiver.MySql.Schema.textme.sql";

    public static string Script { get; } = ReadScript();

    public static async Task InstallAsync(MySqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new MySqlCommand(Script, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReadScript()
    {
        using var stream = typeof(SchemaInstaller).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {typeof(SchemaInstaller).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
