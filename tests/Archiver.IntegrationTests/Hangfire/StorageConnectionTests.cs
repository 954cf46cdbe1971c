using Archiver.Hangfire.MySql;
using Archiver.Hangfire.MySql.Schema;
using Dapper;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>Conformance of the storage connection (design notes, "Connection") against the real MariaDB.</summary>
public sealed class StorageConnectionTests : StorageTest
{
    [Fact]
    public async Task Schema_is_installed_once_per_version_and_prefix()
    {
        CreateStorage(o => o.TablePrefix = "hf_a_");
        CreateStorage(o => o.TablePrefix = "hf_a_");
        CreateStorage(o => o.TablePrefix = "");
        var tables = await QueryAsync<string>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'hf\\_a\\_%' ORDER BY TABLE_NAME");
        Assert.Equal(["hf_a_aggregatedcounter", "hf_a_counter", "hf_a_hash", "hf_a_job", "hf_a_jobparameter", "hf_a_jobqueue", "hf_a_list", "hf_a_schema", "hf_a_server", "hf_a_set", "hf_a_state"], tables);
        Assert.Equal([MySqlObjectsInstaller.ScriptVersion], await QueryAsync<int>("SELECT Version FROM hf_a_schema"));
        Assert.Equal(1, await ScalarAsync<long>("SELECT COUNT(*) FROM `schema`"));
        var collation = await ScalarAsync<string>("SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'hf_a_set' AND COLUMN_NAME = 'Key'");
        Assert.Equal("utf8mb4_bin", collation);
        Assert.Equal("double", await ScalarAsync<string>("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'hf_a_set' AND COLUMN_NAME = 'Score'"));
    }

    [Fact]
    public async Task A_schema_newer_than_the_program_stops_the_storage_with_a_clear_error()
    {
        CreateStorage(o => o.TablePrefix = "hf_new_");
        await Db.ExecuteAsync("INSERT INTO hf_new_schema VALUES (@v, UTC_TIMESTAMP(6))", new { v = MySqlObjectsInstaller.ScriptVersion + 1 });
        var error = Assert.Throws<MySqlStorageException>(() => CreateStorage(o => o.TablePrefix = "hf_new_"));
        Assert.Contains($"is at version {MySqlObjectsInstaller.ScriptVersion + 1}, newer than this program's {MySqlObjectsInstaller.ScriptVersion}", error.Message);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_key()
    {
        var error = Assert.Throws<MySqlStorageException>(() => CreateStorage(o =>
        {
            o.TablePrefix = "bad-prefix";
            o.InvisibilityTimeout = TimeSpan.Zero;
        }));
        Assert.Contains("Hangfire:Storage:TablePrefix", error.Message);
        Assert.Contains("Hangfire:Storage:InvisibilityTimeout", error.Message);
    }

    [Fact]
    public async Task Jobs_keep_their_parameters_and_nulls_and_ids_above_2_to_the_31()
    {
        var storage = CreateStorage();
        await Db.ExecuteAsync("ALTER TABLE hangfire_job AUTO_INCREMENT = 3000000000");
        using var connection = storage.GetConnection();
        var job = Job.FromExpression(() => SampleJobs.Echo("hello"));

        var none = connection.CreateExpiredJob(job, new Dictionary<string, string?>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        var some = connection.CreateExpiredJob(job, new Dictionary<string, string?> { ["a"] = "1", ["b"] = null, ["c"] = "" }, DateTime.UtcNow, TimeSpan.FromHours(1));

        Assert.True(long.Parse(none) >= 3_000_000_000L, none);
        Assert.Equal("1", connection.GetJobParameter(some, "a"));
        Assert.Null(connection.GetJobParameter(some, "b"));
        Assert.Equal("", connection.GetJobParameter(some, "c"));
        Assert.Null(connection.GetJobParameter(none, "a"));
        connection.SetJobParameter(none, "a", "2");
        connection.SetJobParameter(none, "a", "3");
        Assert.Equal("3", connection.GetJobParameter(none, "a"));

        var data = connection.GetJobData(some)!;
        Assert.Null(data.LoadException);
        Assert.Equal(nameof(SampleJobs.Echo), data.Job.Method.Name);
        Assert.Equal(["hello"], data.Job.Args);
        Assert.Equal(DateTimeKind.Utc, data.CreatedAt.Kind);
        Assert.InRange(data.CreatedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        var ttl = await ScalarAsync<long>("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), ExpireAt) FROM hangfire_job WHERE Id = @some", new { some });
        Assert.InRange(ttl, 3500, 3600);
    }

    [Fact]
    public async Task GetJobData_is_null_for_missing_or_non_numeric_ids_and_reports_an_unreadable_payload()
    {
        var storage = CreateStorage();
        using var connection = storage.GetConnection();
        Assert.Null(connection.GetJobData("123456"));
        Assert.Null(connection.GetJobData("not-a-number"));
        Assert.Null(connection.GetStateData("not-a-number"));
        Assert.Null(connection.GetJobParameter("x", "a"));

        var id = Enqueue(connection);
        await Db.ExecuteAsync("UPDATE hangfire_job SET InvocationData = '{not json' WHERE Id = @id", new { id });
        var data = connection.GetJobData(id)!;
        Assert.NotNull(data.LoadException);
        Assert.Null(data.Job);
        Assert.Equal(EnqueuedState.StateName, data.State);

        await Db.ExecuteAsync("""UPDATE hangfire_job SET InvocationData = '{"t":"No.Such.Type, NoSuchAssembly","m":"Run"}' WHERE Id = @id""", new { id });
        Assert.IsType<JobLoadException>(connection.GetJobData(id)!.LoadException);
    }

    [Fact]
    public void State_data_round_trips_case_insensitively()
    {
        var storage = CreateStorage();
        using var connection = storage.GetConnection();
        var id = Enqueue(connection, "critical");
        var state = connection.GetStateData(id)!;
        Assert.Equal(EnqueuedState.StateName, state.Name);
        Assert.Equal("critical", state.Data["queue"]);
    }

    [Fact]
    public void Heartbeat_after_the_server_was_removed_throws_BackgroundServerGone()
    {
        var storage = CreateStorage();
        using var connection = storage.GetConnection();
        connection.AnnounceServer("server-1", new ServerContext { WorkerCount = 3, Queues = ["archive", "default"] });
        connection.Heartbeat("server-1");
        connection.Heartbeat("server-1");
        var server = Assert.Single(storage.GetMonitoringApi().Servers());
        Assert.Equal(3, server.WorkersCount);
        Assert.Equal(["archive", "default"], server.Queues);

        Assert.Equal(0, connection.RemoveTimedOutServers(TimeSpan.FromMinutes(1)));
        connection.RemoveServer("server-1");
        Assert.Throws<BackgroundServerGoneException>(() => connection.Heartbeat("server-1"));
    }

    [Fact]
    public async Task Timed_out_servers_are_removed_by_the_servers_clock()
    {
        var storage = CreateStorage();
        using var connection = storage.GetConnection();
        connection.AnnounceServer("old", new ServerContext { WorkerCount = 1, Queues = ["default"] });
        connection.AnnounceServer("new", new ServerContext { WorkerCount = 1, Queues = ["default"] });
        await Db.ExecuteAsync("UPDATE hangfire_server SET LastHeartbeat = UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE WHERE Id = 'old'");
        Assert.Equal(1, connection.RemoveTimedOutServers(TimeSpan.FromMinutes(5)));
        Assert.Equal(["new"], await QueryAsync<string>("SELECT Id FROM hangfire_server"));
    }

    [Fact]
    public void Lowest_score_ranges_and_count_limits_are_exact_with_10_digit_timestamps()
    {
        var storage = CreateStorage();
        using var connection = storage.GetConnection();
        var now = 1_764_750_000.0;
        using (var transaction = connection.CreateWriteTransaction())
        {
            // One second apart: a FLOAT score would round these to the same 128-second step.
            for (var i = 0; i < 10; i++)
            {
                transaction.AddToSet("schedule", $"job-{i}", now + i);
            }

            transaction.AddToSet("other", "job-x", now - 100);
            transaction.Commit();
        }

        Assert.Equal("job-0", connection.GetFirstByLowestScoreFromSet("schedule", 0, now + 100));
        Assert.Equal("job-3", connection.GetFirstByLowestScoreFromSet("schedule", now + 3, now + 100));
        Assert.Null(connection.GetFirstByLowestScoreFromSet("schedule", 0, now - 1));
        Assert.Equal(["job-0", "job-1", "job-2"], ((JobStorageConnection)connection).GetFirstByLowestScoreFromSet("schedule", 0, now + 5, 3));
        Assert.Equal(["job-4", "job-5"], ((JobStorageConnection)connection).GetFirstByLowestScoreFromSet("schedule", now + 4, now + 5, 10));
        Assert.Equal(now + 7, storage.Use(c => c.ExecuteScalar<double>("SELECT Score FROM hangfire_set WHERE Value = 'job-7'")));

        var extended = (JobStorageConnection)connection;
        Assert.Equal(10, extended.GetSetCount("schedule"));
        Assert.Equal(4, extended.GetSetCount(["schedule", "other"], 4));
        Assert.Equal(11, extended.GetSetCount(["schedule", "other"], 100));
        Assert.True(extended.GetSetContains("schedule", "job-9"));
        Assert.False(extended.GetSetContains("schedule", "job-x"));
        Assert.Equal(["job-2", "job-3"], extended.GetRangeFromSet("schedule", 2, 3));
        Assert.Equal(10, connection.GetAllItemsFromSet("schedule").Count);
    }

    [Fact]
    public void Missing_keys_give_null_hashes_empty_sets_and_a_ttl_of_minus_one_second()
    {
        var storage = CreateStorage();
        using var connection = (JobStorageConnection)storage.GetConnection();
        Assert.Null(connection.GetAllEntriesFromHash("missing"));
        Assert.Empty(connection.GetAllItemsFromSet("missing"));
        Assert.Empty(connection.GetAllItemsFromList("missing"));
        Assert.Empty(connection.GetRangeFromList("missing", 0, 10));
        Assert.Null(connection.GetValueFromHash("missing", "f"));
        Assert.Equal(0, connection.GetCounter("missing"));
        Assert.Equal(TimeSpan.FromSeconds(-1), connection.GetSetTtl("missing"));
        Assert.Equal(TimeSpan.FromSeconds(-1), connection.GetHashTtl("missing"));
        Assert.Equal(TimeSpan.FromSeconds(-1), connection.GetListTtl("missing"));

        connection.SetRangeInHash("h", [new("a", "1"), new("b", "2")]);
        connection.SetRangeInHash("h", [new("a", "3")]);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "3", ["b"] = "2" }, connection.GetAllEntriesFromHash("h"));
        Assert.Equal(2, connection.GetHashCount("h"));
        Assert.Equal(TimeSpan.FromSeconds(-1), connection.GetHashTtl("h"));
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.ExpireHash("h", TimeSpan.FromMinutes(10));
            transaction.Commit();
        }

        Assert.InRange(connection.GetHashTtl("h"), TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.InRange(connection.GetUtcDateTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Counters_are_summed_across_the_raw_and_aggregated_tables()
    {
        var storage = CreateStorage();
        using var connection = (JobStorageConnection)storage.GetConnection();
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.IncrementCounter("stats:succeeded");
            transaction.IncrementCounter("stats:succeeded");
            transaction.IncrementCounter("stats:succeeded", TimeSpan.FromDays(1));
            transaction.DecrementCounter("stats:succeeded");
            transaction.IncrementCounter("stats:other");
            transaction.Commit();
        }

        await Db.ExecuteAsync("INSERT INTO hangfire_aggregatedcounter (`Key`, Value) VALUES ('stats:succeeded', 40)");
        Assert.Equal(42, connection.GetCounter("stats:succeeded"));
        Assert.Equal(1, connection.GetCounter("stats:other"));
        Assert.Equal(42, storage.GetMonitoringApi().GetStatistics().Succeeded);
    }
}
