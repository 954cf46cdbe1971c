using Archiver.CouchDb;
using Archiver.Engine;
using Archiver.Entries;
using Archiver.MySql;
using Archiver.MySql.Demo;
using Archiver.MySql.Schema;
using Archiver.Options;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh MySQL database with the users' schema and a fresh CouchDB database, per test, dropped
/// afterwards: tests never see each other's campaigns.
/// </summary>
public sealed class TestDatabases : IAsyncDisposable
{
    private TestDatabases(string name, string connectionString, MySqlDataSource dataSource, CouchDbClient couch, HttpClient http)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = dataSource;
        Couch = couch;
        Http = http;
    }

    /// <summary>Both databases are called this.</summary>
    public string Name { get; }

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
        var http = new HttpClient { BaseAddress = TestServers.CouchDb, Timeout = Timeout.InfiniteTimeSpan };
        var couch = new CouchDbClient(http);
        await couch.EnsureDatabaseAsync(name);
        return new TestDatabases(name, connectionString, dataSource, couch, http);
    }

    public MySqlArchiveSource Source(int batchSize = 2500) =>
        new(DataSource, Microsoft.Extensions.Options.Options.Create(new ArchiveOptions { BatchSize = batchSize, Database = Name }));

    public ArchiveEngine Engine(int batchSize = 2500, Func<Documents.IDocumentStore, Documents.IDocumentStore>? wrapStore = null) => new(
        Source(batchSize),
        wrapStore is null ? Couch : wrapStore(Couch),
        Microsoft.Extensions.Options.Options.Create(new ArchiveOptions { BatchSize = batchSize, Database = Name }),
        NullLogger<ArchiveEngine>.Instance);

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

    /// <summary>Adds <paramref name="count"/> plain entries to a campaign.</summary>
    public async Task AddEntriesAsync(long campaignId, int count)
    {
        var start = new DateTime(2026, 11, 1, 8, 0, 0);
        var rows = Enumerable.Range(1, count).Select(i => new ContestEntryRow
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

    public async Task AddEntriesAsync(IReadOnlyList<ContestEntryRow> rows)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await RowInserter.InsertEntriesAsync(connection, rows);
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

    /// <summary>The archive's live documents for the campaign's current rows, keyed by row id.</summary>
    public async Task<Dictionary<long, Documents.StoredDocument>> ArchivedDocumentsAsync(long campaignId)
    {
        var keys = await EntryKeysAsync(campaignId);
        var result = new Dictionary<long, Documents.StoredDocument>();
        foreach (var chunk in keys.Chunk(2000))
        {
            var stored = await Couch.GetAsync(Name, chunk.Select(k => Documents.DocumentIds.ForRow(ContestEntries.Table, k)).ToList());
            foreach (var document in stored.Where(d => d.Exists))
            {
                result[document.Body!.Value.GetProperty("id").GetInt64()] = document;
            }
        }

        return result;
    }

    public async Task<CouchDatabaseInfo> CouchInfoAsync() => (await Couch.GetDatabaseInfoAsync(Name))!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Couch.DeleteDatabaseAsync(Name);
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
