using System.Globalization;
using System.Text.RegularExpressions;
using Archiver.Hangfire.MySql.Internal;
using Dapper;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Archiver.Hangfire.MySql.Schema;

/// <summary>
/// Installs the embedded <c>Install.sql</c> when the recorded schema version is lower than the
/// script's, under a GET_LOCK so that workers starting together install once. Every statement is
/// idempotent, so an install killed half-way is completed by the next start.
/// </summary>
public static partial class MySqlObjectsInstaller
{
    private const string ResourceName = "Archiver.Hangfire.MySql.Schema.Install.sql";

    private static readonly string Script = ReadScript();

    /// <summary>The version the embedded script installs (its first line says <c>schema version N</c>).</summary>
    public static int ScriptVersion { get; } = int.Parse(VersionPattern().Match(Script).Groups[1].Value, CultureInfo.InvariantCulture);


    public static void Install(MySqlConnection connection, string tablePrefix, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(tablePrefix);
        var tables = new StorageTables(tablePrefix);
        var lockName = LockNames.For(connection.Database, tablePrefix, "schema:install");
        if (connection.ExecuteScalar<long?>("SELECT GET_LOCK(@lockName, 60)", new { lockName }) != 1)
        {
            throw new MySqlStorageException($"could not take the schema install lock {lockName} within 60 s (another process is installing the Hangfire schema?)");
        }

        try
        {
            var current = CurrentVersion(connection, tables);
            if (current > ScriptVersion)
            {
                throw new MySqlStorageException(
                    $"the Hangfire schema {tablePrefix}* in database {connection.Database} is at version {current}, newer than this program's {ScriptVersion}: upgrade the program");
            }

            if (current == ScriptVersion)
            {
                return;
            }

            connection.Execute(Script.Replace("{prefix}", tablePrefix, StringComparison.Ordinal), commandTimeout: 120);
            connection.Execute(
                $"INSERT IGNORE INTO {tables.Schema} (`Version`, `InstalledAt`) VALUES (@version, UTC_TIMESTAMP(6))", new { version = ScriptVersion });
            Log.SchemaInstalled(logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, tablePrefix, ScriptVersion, current);
        }
        finally
        {
            connection.Execute("DO RELEASE_LOCK(@lockName)", new { lockName });
        }
    }

    /// <summary>The installed version; 0 when the schema table does not exist yet.</summary>
    public static int CurrentVersion(MySqlConnection connection, string tablePrefix) => CurrentVersion(connection, new StorageTables(tablePrefix));

    private static int CurrentVersion(MySqlConnection connection, StorageTables tables)
    {
        var exists = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @name",
            new { name = tables.Prefix + "schema" }) > 0;
        return exists ? connection.ExecuteScalar<int?>($"SELECT MAX(`Version`) FROM {tables.Schema}") ?? 0 : 0;
    }

    private static string ReadScript()
    {
        using var stream = typeof(MySqlObjectsInstaller).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new MySqlStorageException($"the embedded schema script {ResourceName} is missing from {typeof(MySqlObjectsInstaller).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"schema version (\d+)")]
    private static partial Regex VersionPattern();
}
