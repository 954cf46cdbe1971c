using System.Text.Json.Nodes;
using Archiver.CouchDb;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.MySql;
using Archiver.MySql.Demo;
using Archiver.MySql.Schema;
using Archiver.Options;
using Archiver.Purge;
using Archiver.Hosting;
using Archiver.Resilience;
using Archiver.Views;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh MySQL database with the users' schema, and fresh CouchDB databases for both shipped
/// archive sets, per test, dropped afterwards: tests never see each other's campaigns. The sets are
/// the shipped ones from appsettings.json with only their databases renamed.
/// </summary>
public sealed class TestDatabases : IAsyncDisposable
{
    /// <summary>Retries without pauses worth waiting for, so that fault tests stay fast; a breaker that only a test about it opens.</summary>
    public static readonly ResilienceOptions FastRetries = new()
    {
        MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50), BreakerMinimumThroughput = 10_000,
    };

    /// <summary>
    /// The composition root's pipelines with <paramref name="options"/> (<see cref="FastRetries"/> by
    /// default), new for each caller: a circuit breaker is per registry, and one test's faults must
    /// not open another's.
    /// </summary>
    public static Polly.Registry.ResiliencePipelineRegistry<string> Pipelines(
        ResilienceOptions? options = null, Uri? couch = null, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        ArchiverPipelines.Create(options ?? FastRetries, [couch ?? TestServers.CouchDb], logger is null ? NullLoggerFactory.Instance : new OneLoggerFactory(logger));

    private readonly Dictionary<string, JsonNode?> _originals = new(StringComparer.Ordinal);

    private TestDatabases(string name, string connectionString, MySqlDataSource dataSource, CouchDbClient couch, HttpClient http)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = dataSource;
        Couch = couch;
        Http = http;
    }

    /// <summary>The MySQL database; the CouchDB databases are <see cref="EntriesDb"/> and <see cref="VotesDb"/>.</summary>
    public string Name { get; }

    public string EntriesDb => Name + "_entries";

    public string VotesDb => Name + "_votes";

    /// <summary>The shipped sets' rollup databases (<c>Archive:Sets:RollupDatabase</c> left to its default, <c>&lt;Database&gt;_rollups</c>).</summary>
    public string EntryRollupsDb => EntriesDb + "_rollups";

    public string VoteRollupsDb => VotesDb + "_rollups";

    /// <summary>Every CouchDB database a test's archive can write to: the two sets' and their rollups'.</summary>
    public IReadOnlyList<string> ArchiveDatabases => [EntriesDb, EntryRollupsDb, VotesDb, VoteRollupsDb];

    public string ConnectionString { get; }

    public MySqlDataSource DataSource { get; }

    public CouchDbClient Couch { get; }

    public HttpClient Http { get; }

    public static async Task<TestDatabases> CreateAsync()
    {
        var name = $"archiver_test_{Guid.NewGuid():N}"[..30];
        await using (var admin = new MySqlConnection(TestServers.MySql))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4");
        }

        var connectionString = new MySqlConnectionStringBuilder(TestServers.MySql) { Database = name }.ConnectionString;
        var dataSource = MySqlDataSourceFactory.Create(connectionString);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await SchemaInstaller.InstallAsync(connection);
        }

        // As in production, the client applies its own per-request timeouts.
        var http = TestServers.CouchDbHttp();
        var couch = new CouchDbClient(http, pipelines: Pipelines());
        return new TestDatabases(name, connectionString, dataSource, couch, http);
    }

    /// <summary>The repository's archive settings pointed at this test's databases; <paramref name="maxConcurrentBatches"/> 1 for tests that stop at an exact batch.</summary>
    public ArchiveOptions Options(int batchSize = 2500, int? maxConcurrentBatches = null)
    {
        var options = new ArchiveOptions();
        new ConfigurationBuilder().AddJsonFile(Repository.File("appsettings.json")).Build().GetSection(ArchiveOptions.SectionName).Bind(options);
        options.BatchSize = batchSize;
        options.MaxConcurrentBatches = maxConcurrentBatches ?? options.MaxConcurrentBatches;
        options.Sets[0].Database = EntriesDb;
        options.Sets[1].Database = VotesDb;
        return options;
    }

    /// <summary>Environment variables that point a child <c>archiver</c> at this test's databases.</summary>
    public Dictionary<string, string> CliEnvironment(int batchSize = 2500, int maxConcurrentBatches = 2, long shardRows = 0)
    {
        var settings = new Dictionary<string, string>
        {
            ["Archive__ShardRows"] = shardRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Archive__MaxConcurrentBatches"] = maxConcurrentBatches.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ConnectionStrings__MySql"] = ConnectionString,
            ["Archive__BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Archive__Sets__0__Database"] = EntriesDb,
            ["Archive__Sets__1__Database"] = VotesDb,
            ["Resilience__BaseDelay"] = "00:00:00.010",
            ["Resilience__MaxDelay"] = "00:00:00.050",
        };
        TestServers.AddCouchDbSettings(settings);
        return settings;
    }

    public MySqlArchiveSource Source(int batchSize = 2500, ArchiveOptions? options = null, Microsoft.Extensions.Logging.ILogger<MySqlArchiveSource>? logger = null) =>
        new(DataSource, Microsoft.Extensions.Options.Options.Create(options ?? Options(batchSize)), Pipelines(logger: logger), logger);

    public MySqlRunJournal Journal() => new(DataSource, Pipelines());

    /// <summary>An engine on this test's databases: the shipped sets (or <paramref name="options"/>, e.g. with a third set), the real CouchDB client (or a wrapper of it).</summary>
    public ArchiveEngine Engine(
        int batchSize = 2500,
        Func<IDocumentStore, IDocumentStore>? wrapStore = null,
        IArchiveCheckpoints? checkpoints = null,
        ArchiveOptions? options = null,
        Microsoft.Extensions.Logging.ILogger<MySqlArchiveSource>? sourceLogger = null)
    {
        options ??= Options(batchSize);
        return new(
            Source(options: options, logger: sourceLogger),
            Journal(),
            PurgeTarget(),
            wrapStore is null ? Couch : wrapStore(Couch),
            Microsoft.Extensions.Options.Options.Create(options),
            NullLogger<ArchiveEngine>.Instance,
            checkpoints,
            shards: ShardJournal());
    }

    public MySqlShardJournal ShardJournal() => new(DataSource, Pipelines());

    public MySqlPurgeTarget PurgeTarget() => new(DataSource, Pipelines());

    /// <summary>A purge engine on this test's databases and the shipped sets.</summary>
    public PurgeEngine Purge(IArchiveCheckpoints? checkpoints = null, IDocumentStore? store = null) => new(
        Source(),
        PurgeTarget(),
        store ?? Couch,
        Microsoft.Extensions.Options.Options.Create(Options()),
        Microsoft.Extensions.Options.Options.Create(new PurgeOptions()),
        NullLogger<PurgeEngine>.Instance,
        checkpoints);

    /// <summary>A campaign whose end is <paramref name="endedAgo"/> before the database's clock (negative: still running).</summary>
    public async Task<long> AddCampaignAsync(TimeSpan endedAgo, string kind = "contest", bool archived = false, string name = "Test campaign")
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (name, kind, starts_at, ends_at, archived, archived_at)
            VALUES (@name, @kind,
                    UTC_TIMESTAMP(3) - INTERVAL @startMicros MICROSECOND,
                    UTC_TIMESTAMP(3) - INTERVAL @endMicros MICROSECOND,
                    @archived, IF(@archived, UTC_TIMESTAMP(3), NULL));
            SELECT LAST_INSERT_ID();
            """,
            new { name, kind, archived, startMicros = (long)(endedAgo + TimeSpan.FromDays(7)).TotalMicroseconds, endMicros = (long)endedAgo.TotalMicroseconds });
    }

    public Task<long> AddCompletedCampaignAsync(string kind = "contest") => AddCampaignAsync(TimeSpan.FromDays(3), kind);

    /// <summary>Adds <paramref name="count"/> plain entries to a campaign, about a second apart, with NULLs, winners and emoji.</summary>
    public async Task AddEntriesAsync(long campaignId, int count)
    {
        var start = new DateTime(2026, 11, 1, 8, 0, 0);
        var rows = Enumerable.Range(1, count).Select(i => new EntryRow
        {
            CampaignId = campaignId,
            UserId = i % 9 == 0 ? null : 10_000 + i,
            EntryNumber = i,
            Winner = i % 250 == 0,
            Message = i % 5 == 0 ? null : $"entry {i} 🎉",
            CreatedAt = start.AddMilliseconds(i * 1_001L),
        }).ToList();
        await AddEntriesAsync(rows);
    }

    public async Task AddEntriesAsync(IReadOnlyList<EntryRow> rows)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await RowInserter.InsertEntriesAsync(connection, rows);
    }

    /// <summary>Adds <paramref name="count"/> votes to a campaign, spread over choices and minutes, out of time order.</summary>
    public async Task AddVotesAsync(long campaignId, int count)
    {
        string[] choices = ["Margherita", "Hawaii 🍍", "Quattro Formaggi"];
        var start = new DateTime(2026, 11, 2, 20, 0, 0);
        var rows = Enumerable.Range(1, count).Select(i => new VoteRow
        {
            CampaignId = campaignId,
            UserId = i % 11 == 0 ? null : 20_000 + i,
            Choice = choices[i % choices.Length],
            CreatedAt = start.AddMilliseconds((count - i) * 7_013L),
        }).ToList();
        await using var connection = await DataSource.OpenConnectionAsync();
        await RowInserter.InsertVotesAsync(connection, rows);
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<List<long>> EntryKeysAsync(long campaignId)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<long>("SELECT id FROM contest_campaign_entries WHERE campaign_id = @campaignId ORDER BY id", new { campaignId })).AsList();
    }

    public async Task<bool> IsArchivedAsync(long campaignId) =>
        await ScalarAsync<bool>("SELECT archived FROM campaigns WHERE id = @campaignId", new { campaignId });

    /// <summary>The live documents of a campaign's range in a database, by id.</summary>
    public async Task<Dictionary<string, StoredDocument>> RangeAsync(string database, string start, string end)
    {
        var result = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
        await foreach (var document in Couch.ReadRangeAsync(database, start, end, includeDocs: true, pageSize: 1000))
        {
            result[document.Id] = document;
        }

        return result;
    }

    /// <summary>The archive's live entry documents of a campaign, keyed by row id.</summary>
    public async Task<Dictionary<long, StoredDocument>> ArchivedDocumentsAsync(long campaignId)
    {
        var (start, end) = DocumentIds.RowRange("contest_campaign_entries", campaignId);
        var documents = await RangeAsync(EntriesDb, start, end);
        return documents.Values.ToDictionary(d => d.Body!.Value.GetProperty("id").GetInt64());
    }

    /// <summary>Sets a field of a stored document behind the archiver's back (or puts the value it had before the first edit back).</summary>
    /// <summary>
    /// Changes an archived entry behind the purge's back, as the purge tests' theories name it:
    /// "document deleted" or "document edited" in the archive, or "row edited" in MySQL.
    /// </summary>
    public async Task ChangeArchivedEntryAsync(string change, long campaign, long key)
    {
        var id = DocumentIds.ForRow("contest_campaign_entries", campaign, key);
        switch (change)
        {
            case "document deleted":
                var stored = (await Couch.GetAsync(EntriesDb, [id])).Single();
                (await Http.DeleteAsync($"{EntriesDb}/{Uri.EscapeDataString(id)}?rev={stored.Rev}")).EnsureSuccessStatusCode();
                break;
            case "document edited":
                await EditDocumentAsync(EntriesDb, id, "message", "edited in the archive");
                break;
            case "row edited":
                await ExecuteAsync("UPDATE contest_campaign_entries SET message = 'edited in MySQL' WHERE id = @key", new { key });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "document deleted, document edited or row edited");
        }
    }

    public async Task EditDocumentAsync(string database, string id, string field, string? value, bool restore = false)
    {
        var path = $"{database}/{Uri.EscapeDataString(id)}";
        var document = JsonNode.Parse(await Http.GetStringAsync(path))!.AsObject();
        if (!restore)
        {
            _originals.TryAdd(id, document[field]?.DeepClone());
        }

        document[field] = restore ? _originals[id]?.DeepClone() : JsonValue.Create(value);
        using var content = new StringContent(document.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        (await Http.PutAsync(path, content)).EnsureSuccessStatusCode();
    }

    public async Task<CouchDatabaseInfo?> CouchInfoAsync(string? database = null) => await Couch.GetDatabaseInfoAsync(database ?? EntriesDb);

    /// <summary>
    /// What a database holds, for "nothing was written" checks: live and deleted document counts and
    /// every live id with its revision (any write makes a new revision). Not <c>update_seq</c>: on a
    /// CouchDB cluster two reads of one unchanged database can answer different sequence strings (another
    /// shard copy answering). Null when the database does not exist.
    /// </summary>
    public async Task<string?> CouchStateAsync(string database)
    {
        if (await Couch.GetDatabaseInfoAsync(database) is not { } info)
        {
            return null;
        }

        var state = new System.Text.StringBuilder($"{info.DocCount} live, {info.DocDeleteCount} deleted");
        await foreach (var document in Couch.ReadRangeAsync(database, "", "\uffff", includeDocs: false, pageSize: 5000))
        {
            state.Append('|').Append(document.Id).Append('=').Append(document.Rev);
        }

        return state.ToString();
    }

    /// <summary><see cref="CouchStateAsync"/> of every archive database, in one string.</summary>
    public async Task<string> ArchiveStateAsync()
    {
        var parts = new List<string>();
        foreach (var database in ArchiveDatabases)
        {
            parts.Add($"{database}: {await CouchStateAsync(database) ?? "none"}");
        }

        return string.Join("\n", parts);
    }

    /// <summary>
    /// Deploys the shipped views (<c>views/</c>) to the test's archive databases, as
    /// <c>archiver views deploy</c> does; on <paramref name="couch"/> when given (a test's own central server).
    /// </summary>
    public async Task DeployViewsAsync(CouchDbClient? couch = null)
    {
        var views = Microsoft.Extensions.Options.Options.Create(new ViewsOptions());
        var folders = await ViewCatalog.LoadAsync(Repository.File("views"), new NodeFunctionChecker(views));
        await new ViewDeployer(couch ?? Couch, views).DeployAsync(ViewTargets.Resolve(folders, Options().Sets, null), false, false, null);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var database in new[] { Name, Name + "_rollups" }.Concat(ArchiveDatabases))
            {
                await Couch.DeleteDatabaseAsync(database);
            }

            await using var admin = new MySqlConnection(TestServers.MySql);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS `{Name}`");
        }
        finally
        {
            await DataSource.DisposeAsync();
            Http.Dispose();
        }
    }
}
