using System.CommandLine;
using System.Globalization;
using Archiver.CouchDb;
using Archiver.MySql.Demo;
using Archiver.MySql.Schema;
using Archiver.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver demo schema</c> and <c>archiver demo seed</c>: the users' schema and a realistic data set, for the demo and benchmarks.</summary>
internal static class DemoCommands
{
    public static Command Create()
    {
        var schema = new Command("schema", "Create the users' schema (campaigns, contest_campaign_entries, vote_campaign_votes) in the configured database if missing.");
        schema.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(parseResult, InstallSchemaAsync, cancellationToken));

        var campaigns = new Option<int>("--campaigns") { Description = "Number of campaigns.", DefaultValueFactory = _ => 20 };
        var entries = new Option<int>("--entries") { Description = "Contest entries across all contest campaigns.", DefaultValueFactory = _ => 200_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same data.", DefaultValueFactory = _ => 20_261_125 };
        var reset = new Option<bool>("--reset") { Description = "First drop the tables and delete the CouchDB archive databases, only if the demo created them (it marks them); anything else is left alone." };
        var seedCommand = new Command("seed", "Insert a realistic demo data set (creating the schema if needed).") { campaigns, entries, seed, reset };
        seedCommand.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            parseResult,
            (services, ct) => SeedAsync(services, new DemoSeedOptions
            {
                Campaigns = parseResult.GetValue(campaigns),
                Entries = parseResult.GetValue(entries),
                Seed = parseResult.GetValue(seed),
            }, parseResult.GetValue(reset), ct),
            cancellationToken));

        return new Command("demo", "Demo and benchmark data.") { schema, seedCommand };
    }

    private static async Task<int> InstallSchemaAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var connection = await services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await SchemaInstaller.InstallAsync(connection, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"schema installed in database {connection.Database}");
        return ExitCodes.Success;
    }

    private static async Task<int> SeedAsync(IServiceProvider services, DemoSeedOptions options, bool reset, CancellationToken cancellationToken)
    {
        if (options.Campaigns < 1 || options.Entries < 0)
        {
            return await CliServices.UsageAsync("demo seed: --campaigns must be at least 1 and --entries not negative").ConfigureAwait(false);
        }

        await using var connection = await services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var couch = services.GetRequiredService<CouchDbClient>();
        var databases = services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Sets
            .SelectMany(s => new[] { s.Database, s.EffectiveRollupDatabase }).Distinct(StringComparer.Ordinal).ToList();

        // The demo touches only what it created: a database with tables but no mark, or a CouchDB
        // database without the mark, belongs to someone else and stops the demo before any change.
        var (tables, marked) = await DemoMarks.InspectMySqlAsync(connection, cancellationToken).ConfigureAwait(false);
        var foreign = new List<string>();
        if (tables.Count > 0 && !marked)
        {
            foreign.Add($"MySQL database {connection.Database} holds {tables.Count} table(s) the demo did not create ({string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", …" : "")})");
        }

        foreach (var database in databases)
        {
            if (await DemoMarks.IsCouchDbMarkedAsync(couch, database, cancellationToken).ConfigureAwait(false) is false)
            {
                foreign.Add($"CouchDB database {database} was not created by the demo");
            }
        }

        if (foreign.Count > 0)
        {
            return await CliServices.UsageAsync($"demo seed: left alone: {string.Join("; ", foreign)}. Choose other names: ARCHIVER_DEMO_DATABASE=<mysql database> and ARCHIVER_DEMO_PREFIX=<couchdb prefix> ./scripts/demo.sh (or ConnectionStrings:MySql and Archive:Sets:N:Database)").ConfigureAwait(false);
        }

        if (reset)
        {
            var dropped = new List<string>();
            foreach (var table in tables)
            {
                await using var drop = new MySqlCommand($"DROP TABLE IF EXISTS `{table.Replace("`", "``", StringComparison.Ordinal)}`", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                dropped.Add(table);
            }

            var deleted = new List<string>();
            foreach (var database in databases)
            {
                if (await couch.DeleteDatabaseAsync(database, cancellationToken).ConfigureAwait(false))
                {
                    deleted.Add(database);
                }
            }

            Console.WriteLine($"reset: dropped the demo's {dropped.Count} table(s) in {connection.Database}{(deleted.Count > 0 ? $" and deleted the demo's CouchDB databases {string.Join(", ", deleted)}" : "")}");
        }

        await DemoMarks.MarkMySqlAsync(connection, cancellationToken).ConfigureAwait(false);
        foreach (var database in databases)
        {
            await DemoMarks.MarkCouchDbAsync(couch, database, cancellationToken).ConfigureAwait(false);
        }

        await SchemaInstaller.InstallAsync(connection, cancellationToken).ConfigureAwait(false);
        var lastLine = DateTime.UtcNow;
        var result = await DemoDataSeeder.SeedAsync(connection, options, (done, total) =>
        {
            if (DateTime.UtcNow - lastLine > TimeSpan.FromSeconds(2) || done == total)
            {
                lastLine = DateTime.UtcNow;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seeded {done:N0}/{total:N0} entries"));
            }
        }, cancellationToken).ConfigureAwait(false);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded {connection.Database}: {result.Campaigns} campaigns ({result.EligibleCampaigns} ended more than 48 h ago), {result.Entries:N0} entries ({result.EligibleEntries:N0} in eligible contests), {result.Votes:N0} votes in {result.Elapsed.TotalSeconds:F1} s ({(result.Entries + result.Votes) / Math.Max(result.Elapsed.TotalSeconds, 0.001):N0} rows/s)"));
        return ExitCodes.Success;
    }
}
