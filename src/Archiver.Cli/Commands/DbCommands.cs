using System.CommandLine;
using System.Globalization;
using Archiver.MySql.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Archiver.Cli.Commands;

/// <summary>
/// <c>archiver db migrate</c>: creates or upgrades Archiver's own tables and the job storage's in
/// MySQL, for deployments whose service account lacks CREATE and ALTER (<c>MySql:AutoMigrate</c> false):
/// an administrator runs it once per release with an account that has them.
/// </summary>
internal static class DbCommands
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Create or upgrade Archiver's tables (archiver_*) and the job storage's tables (Hangfire:Storage:TablePrefix) in MySQL; safe to run again.");
        migrate.SetAction((_, cancellationToken) => CliServices.RunAsync(MigrateAsync, cancellationToken));
        return new Command("db", "Archiver's own tables in MySQL.") { migrate };
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Archiver.Cli.Db");
        SchemaMigrationResult result;
        try
        {
            await using var connection = await services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            result = await ArchiverSchema.MigrateAsync(connection, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException ex)
        {
            throw new ArchiverException($"MySQL error while migrating Archiver's schema: {ex.Message}", ex);
        }

        Console.Out.WriteLine(result.Applied.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Archiver's tables in {result.Database}: version {result.To}, current")
            : string.Create(CultureInfo.InvariantCulture, $"Archiver's tables in {result.Database}: version {result.From} -> {result.To} (applied {string.Join(", ", result.Applied.Select(m => m.Name))})"));

        var (connectionString, options) = JobsCommands.StorageSettings();
        var (database, from, to) = JobStorageSchema.Migrate(connectionString, options.TablePrefix);
        Console.Out.WriteLine(from == to
            ? string.Create(CultureInfo.InvariantCulture, $"job storage tables ({options.TablePrefix}*) in {database}: version {to}, current")
            : string.Create(CultureInfo.InvariantCulture, $"job storage tables ({options.TablePrefix}*) in {database}: version {from} -> {to}"));
        return ExitCodes.Success;
    }
}
