using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql;
using Archiver.MySql.Schema;
using Dapper;

namespace Archiver.IntegrationTests.Schema;

/// <summary>Archiver's own schema: versions recorded, migrations applied in order and once, an unversioned database adopted.</summary>
public sealed class ArchiverSchemaTests : DatabaseTest
{
    /// <summary>archiver.sql as it was before schema versions (its "version 3"), byte for byte the tables it made.</summary>
    private const string UnversionedScript = """
        CREATE TABLE IF NOT EXISTS archiver_campaign_runs (
          campaign_id BIGINT NOT NULL PRIMARY KEY,
          state VARCHAR(16) NOT NULL,
          attempts INT NOT NULL DEFAULT 0,
          started_at DATETIME(3) NULL,
          finished_at DATETIME(3) NULL,
          host VARCHAR(255) NULL,
          rows_read BIGINT NULL,
          last_error TEXT NULL,
          last_error_at DATETIME(3) NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TABLE IF NOT EXISTS archiver_purge_sets (
          campaign_id BIGINT NOT NULL,
          set_table VARCHAR(64) NOT NULL,
          documents BIGINT NOT NULL,
          checksum VARCHAR(64) NOT NULL,
          rows_deleted BIGINT NOT NULL DEFAULT 0,
          batches INT NOT NULL DEFAULT 0,
          started_at DATETIME(3) NOT NULL,
          updated_at DATETIME(3) NOT NULL,
          finished_at DATETIME(3) NULL,
          host VARCHAR(255) NULL,
          PRIMARY KEY (campaign_id, set_table)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TABLE IF NOT EXISTS archiver_archived_sets (
          campaign_id BIGINT NOT NULL,
          set_table VARCHAR(64) NOT NULL,
          row_count BIGINT NOT NULL,
          checksum VARCHAR(64) NOT NULL,
          revision_digest VARCHAR(64) NULL,
          archived_at DATETIME(3) NOT NULL,
          PRIMARY KEY (campaign_id, set_table)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        """;

    protected override Task InitializeDatabasesAsync() => DropArchiverTablesAsync(Db);

    /// <summary>Leaves only the users' schema, as on a database Archiver has never seen.</summary>
    internal static Task DropArchiverTablesAsync(TestDatabases db) => db.ExecuteAsync("DROP TABLE IF EXISTS " + string.Join(", ", ArchiverSchema.Tables));

    [Fact]
    public async Task A_fresh_database_is_migrated_to_the_latest_version_once()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(new SchemaState(Db.Name, 0, ArchiverSchema.Tables), await ArchiverSchema.ReadStateAsync(connection), new StateComparer());

        var first = await ArchiverSchema.MigrateAsync(connection);
        var second = await ArchiverSchema.MigrateAsync(connection);

        Assert.Equal((0, ArchiverSchema.LatestVersion), (first.From, first.To));
        Assert.Equal(ArchiverSchema.Migrations.Select(m => m.Name), first.Applied.Select(m => m.Name));
        Assert.Empty(second.Applied);
        Assert.Equal(ArchiverSchema.Migrations.Select(m => m.Version), await connection.QueryAsync<int>("SELECT version FROM archiver_schema ORDER BY version"));
        Assert.Empty((await ArchiverSchema.ReadStateAsync(connection)).MissingTables);
    }

    [Fact]
    public async Task A_database_made_by_the_unversioned_script_is_adopted_with_its_rows_kept()
    {
        await Db.ExecuteAsync(UnversionedScript);
        await Db.ExecuteAsync("INSERT INTO archiver_campaign_runs (campaign_id, state, attempts) VALUES (7, 'failed', 3)");
        await Db.ExecuteAsync("INSERT INTO archiver_archived_sets VALUES (7, 'contest_campaign_entries', 12, 'abc', NULL, UTC_TIMESTAMP(3))");
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var before = await ArchiverSchema.ReadStateAsync(connection);
        Assert.Equal(0, before.Version);
        // The unversioned script made version 1's tables; later migrations' tables (the shards' plan, the replicas' journal, the flag's chunks) are missing too.
        Assert.Equal(["archiver_campaign_shards", "archiver_replica_campaigns", "archiver_archived_chunks", ArchiverSchema.VersionTable], before.MissingTables);
        Assert.Contains($"made before schema versions were recorded, this program needs version {ArchiverSchema.LatestVersion} (missing: archiver_campaign_shards, archiver_replica_campaigns, archiver_archived_chunks, archiver_schema): upgrade it with `archiver db migrate`",
            ArchiverSchema.Problem(before, ArchiverSchema.LatestVersion, ArchiverSchema.Tables), StringComparison.Ordinal);

        var result = await ArchiverSchema.MigrateAsync(connection);

        Assert.Equal((0, ArchiverSchema.LatestVersion), (result.From, result.To));
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT attempts FROM archiver_campaign_runs WHERE campaign_id = 7"));
        Assert.Equal(12, await connection.ExecuteScalarAsync<long>("SELECT row_count FROM archiver_archived_sets WHERE campaign_id = 7"));
        Assert.True((await ArchiverSchema.ReadStateAsync(connection)).IsCurrent(ArchiverSchema.LatestVersion));
    }

    [Fact]
    public async Task A_database_made_by_the_first_unversioned_script_gets_the_tables_it_lacked()
    {
        await Db.ExecuteAsync(UnversionedScript[..(UnversionedScript.IndexOf("CREATE TABLE IF NOT EXISTS archiver_purge_sets", StringComparison.Ordinal))]);
        await using var connection = await Db.DataSource.OpenConnectionAsync();

        await ArchiverSchema.MigrateAsync(connection);

        Assert.True((await ArchiverSchema.ReadStateAsync(connection)).IsCurrent(ArchiverSchema.LatestVersion));
    }

    [Fact]
    public async Task Migrations_run_in_order_and_once_when_processes_migrate_together()
    {
        // The second script is not idempotent on purpose: a second run would insert a second row.
        var migrations = ArchiverSchema.Migrations.Append(new SchemaMigration(ArchiverSchema.LatestVersion + 1, "0099_test_counter",
            "CREATE TABLE IF NOT EXISTS archiver_test_counter (id INT NOT NULL PRIMARY KEY AUTO_INCREMENT, tables INT NOT NULL) ENGINE=InnoDB; " +
            "INSERT INTO archiver_test_counter (tables) SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'archiver_campaign_runs';"))
            .ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var connection = await Db.DataSource.OpenConnectionAsync();
            return await ArchiverSchema.MigrateAsync(connection, migrations, logger: null, CancellationToken.None);
        }));

        Assert.Single(results, r => r.Applied.Count == migrations.Count);
        Assert.All(results.Where(r => r.Applied.Count == 0), r => Assert.Equal(migrations[^1].Version, r.To));
        await using var check = await Db.DataSource.OpenConnectionAsync();
        // One row, written after migration 1 had created its table.
        Assert.Equal([1], await check.QueryAsync<int>("SELECT tables FROM archiver_test_counter"));
        Assert.Equal(migrations.Select(m => m.Version), await check.QueryAsync<int>("SELECT version FROM archiver_schema ORDER BY version"));
    }

    [Fact]
    public async Task A_schema_newer_than_the_program_is_refused_in_one_line()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await ArchiverSchema.MigrateAsync(connection);
        await Db.ExecuteAsync("INSERT INTO archiver_schema VALUES (@version, 'from_the_future', UTC_TIMESTAMP(3))", new { version = ArchiverSchema.LatestVersion + 1 });

        var error = await Assert.ThrowsAsync<ArchiverConfigurationException>(() => ArchiverSchema.MigrateAsync(connection));

        Assert.Equal($"MySQL database {Db.Name} has Archiver's schema at version {ArchiverSchema.LatestVersion + 1}, newer than this program's {ArchiverSchema.LatestVersion}: upgrade the program", error.Message);
    }

    [Fact]
    public async Task Without_AutoMigrate_a_run_stops_with_one_line_and_creates_nothing()
    {
        var journal = new MySqlRunJournal(Db.DataSource, TestDatabases.Pipelines(), options: Microsoft.Extensions.Options.Options.Create(new MySqlSourceOptions { AutoMigrate = false }));

        var error = await Assert.ThrowsAsync<ArchiverConfigurationException>(() => journal.EnsureCreatedAsync());

        Assert.Equal($"MySQL database {Db.Name} has no Archiver tables ({string.Join(", ", ArchiverSchema.Tables)}): install them with `archiver db migrate`", error.Message);
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'archiver%'"));

        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await ArchiverSchema.MigrateAsync(connection);
        }

        await journal.EnsureCreatedAsync();
    }

    private sealed class StateComparer : IEqualityComparer<SchemaState>
    {
        public bool Equals(SchemaState? x, SchemaState? y) =>
            x!.Database == y!.Database && x.Version == y.Version && x.MissingTables.SequenceEqual(y.MissingTables);

        public int GetHashCode(SchemaState obj) => obj.Version;
    }
}
