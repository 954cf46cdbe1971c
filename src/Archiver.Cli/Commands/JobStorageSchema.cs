using System.Globalization;
using Archiver.Hangfire.MySql;
using Archiver.Hangfire.MySql.Schema;
using Archiver.MySql.Schema;
using MySqlConnector;

namespace Archiver.Cli.Commands;

/// <summary>The job storage's tables (Hangfire's, <c>{prefix}*</c>) as the CLI checks and installs them.</summary>
internal static class JobStorageSchema
{
    /// <summary>For read-only commands: one line naming what is missing and the command that installs it, unless the tables are current.</summary>
    public static void RequireCurrent(string connectionString, string tablePrefix)
    {
        var (database, version) = Run(connectionString, "reading the job storage's schema version", c => MySqlObjectsInstaller.CurrentVersion(c, tablePrefix));
        if (version < MySqlObjectsInstaller.ScriptVersion)
        {
            throw new ArchiverConfigurationException(version == 0
                ? $"MySQL database {database} has no job storage tables ({tablePrefix}*): install them with `{ArchiverSchema.MigrateCommand}` (a worker also installs them when it starts)"
                : string.Create(CultureInfo.InvariantCulture,
                    $"MySQL database {database} has the job storage's tables ({tablePrefix}*) at version {version}, this program needs {MySqlObjectsInstaller.ScriptVersion}: upgrade them with `{ArchiverSchema.MigrateCommand}`"));
        }
    }

    /// <summary>Installs or upgrades the tables; the versions before and after.</summary>
    public static (string Database, int From, int To) Migrate(string connectionString, string tablePrefix)
    {
        var (database, versions) = Run(connectionString, "installing the job storage's tables", c =>
        {
            var from = MySqlObjectsInstaller.CurrentVersion(c, tablePrefix);
            MySqlObjectsInstaller.Install(c, tablePrefix);
            return (From: from, To: MySqlObjectsInstaller.CurrentVersion(c, tablePrefix));
        });
        return (database, versions.From, versions.To);
    }

    private static (string Database, T Value) Run<T>(string connectionString, string what, Func<MySqlConnection, T> action)
    {
        try
        {
            using var connection = new MySqlConnection(connectionString);
            connection.Open();
            return (connection.Database, action(connection));
        }
        catch (MySqlException ex)
        {
            // The job storage's own server, which ConnectionStrings:Hangfire may name apart from ConnectionStrings:MySql.
            var server = Archiver.MySql.MySqlConnectionStrings.Endpoint(new MySqlConnectionStringBuilder(connectionString));
            throw new ArchiverException($"MySQL at {server} (job storage): error while {what}: {ex.Message}", ex);
        }
        catch (MySqlStorageException ex)
        {
            throw new ArchiverException($"job storage: {ex.Message}", ex);
        }
    }
}
