using System.CommandLine;
using Archiver.Cli.Errors;
using Archiver.Hosting;
using Archiver.Options;
using Archiver.Views;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.Cli.Commands;

/// <summary>
/// <c>archiver doctor</c>: configuration, both servers, credentials and permissions, the schema and
/// the views, one ✓ or ✗ line each; exit 0 when all pass, 1 when one fails, 2 when the configuration
/// itself is broken. Read-only: it creates nothing.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var doctor = new Command("doctor", "Check the configuration, MySQL and CouchDB (reachable, credentials, permissions), the schema and the views; one line each, exit 0 when all pass.");
        doctor.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(parseResult, RunAsync, cancellationToken));
        return doctor;
    }

    private static async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var failed = 0;
        var environment = Environment.GetEnvironmentVariable(ArchiverConfiguration.EnvironmentVariable);
        Pass("configuration", $"{configuration[ArchiverConfiguration.SettingsFileKey] ?? "no settings file (environment variables only)"}"
            + (string.IsNullOrWhiteSpace(environment) ? "" : $", environment {environment}") + "; every option valid");

        var mysql = await CheckAsync("MySQL", () => Preflight.CheckMySqlAsync(services, cancellationToken), configuration, cancellationToken).ConfigureAwait(false);
        if (mysql is null)
        {
            failed++;
        }
        else
        {
            Pass("MySQL", $"{CliErrors.MySqlEndpoint(configuration)}: {mysql}");
            failed += await CheckSchemaAsync(services, cancellationToken).ConfigureAwait(false);
        }

        var couch = await CheckAsync("CouchDB", async () => await Preflight.CheckCouchDbAsync(services, cancellationToken).ConfigureAwait(false), configuration, cancellationToken).ConfigureAwait(false);
        if (couch is null)
        {
            failed++;
        }
        else
        {
            Pass("CouchDB", $"{CliErrors.CouchDbEndpoint(configuration)}: {couch.Product} {couch.Version}");
            failed += await CheckArchiveDatabasesAsync(services, configuration, cancellationToken).ConfigureAwait(false);
            failed += await CheckViewsAsync(services, configuration, cancellationToken).ConfigureAwait(false);
        }

        Console.Out.WriteLine(failed == 0 ? "all checks passed" : $"{failed} check(s) failed");
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async Task<T?> CheckAsync<T>(string what, Func<Task<T>> check, IConfiguration configuration, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await check().ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ArchiverConfigurationException)
        {
            Fail(what, CliErrors.Describe(ex, configuration, interrupted: false).Message);
            return null;
        }
    }

    /// <summary>The users' tables of every set (read permission) and Archiver's own tables.</summary>
    private static async Task<int> CheckSchemaAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var sets = services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Sets;
        await using var connection = await services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var tables = (await SchemaTables.ListAsync(connection, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var failed = 0;
        var users = sets.Select(s => s.Table).Prepend("campaigns").Distinct(StringComparer.Ordinal).ToList();
        var missingUsers = users.Where(t => !tables.Contains(t)).ToList();
        if (missingUsers.Count > 0)
        {
            Fail("MySQL tables", $"{string.Join(", ", missingUsers)} missing in database {connection.Database} (or not visible to this user)");
            failed++;
        }
        else
        {
            Pass("MySQL tables", $"{string.Join(", ", users)} readable");
        }

        string[] own = ["archiver_campaign_runs", "archiver_purge_sets", "archiver_archived_sets"];
        var missingOwn = own.Where(t => !tables.Contains(t)).ToList();
        if (missingOwn.Count > 0)
        {
            Fail("schema", $"Archiver's tables {string.Join(", ", missingOwn)} are missing (the first archive run creates them)");
            failed++;
        }
        else
        {
            Pass("schema", "Archiver's tables present");
        }

        return failed;
    }

    /// <summary>Each configured archive database: readable with the configured credentials.</summary>
    private static async Task<int> CheckArchiveDatabasesAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var client = Preflight.Client(services);
        var failed = 0;
        foreach (var database in services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Sets.Select(s => s.Database).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var info = await client.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false);
                Pass($"CouchDB {database}", info is null ? "not created yet (the first archive run creates it)" : $"{info.DocCount:N0} documents, readable");
            }
            catch (ArchiverException ex)
            {
                Fail($"CouchDB {database}", CliErrors.Describe(ex, configuration, interrupted: false).Message);
                failed++;
            }
        }

        return failed;
    }

    private static async Task<int> CheckViewsAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var statuses = await CheckAsync("views", async () =>
        {
            var targets = await ViewsCommands.TargetsAsync(services, null, cancellationToken).ConfigureAwait(false);
            return await services.GetRequiredService<ViewStatusReader>().ReadAsync(targets, cancellationToken).ConfigureAwait(false);
        }, configuration, cancellationToken).ConfigureAwait(false);
        if (statuses is null)
        {
            return 1;
        }

        var behind = statuses.Where(s => s.InFiles && (!s.Deployed || !s.InSync)).Select(s => $"{s.Database}/{s.Design}").ToList();
        if (behind.Count > 0)
        {
            Fail("views", $"{string.Join(", ", behind)} not deployed or not in sync with views/ (run: archiver views deploy)");
            return 1;
        }

        Pass("views", $"{statuses.Count} design documents deployed and in sync with views/");
        return 0;
    }

    private static void Pass(string what, string detail) => Console.Out.WriteLine($"✓ {what}: {detail}");

    private static void Fail(string what, string detail) => Console.Out.WriteLine($"✗ {what}: {detail}");
}
