using Archiver.Engine;
using Dapper;
using MySqlConnector;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// Kills the MySQL connections of the test's database while the archiver is in the middle of a
/// query, as a server restart, a failover or a DBA's <c>KILL</c> does. At the checkpoint
/// <paramref name="killAt"/> it takes a write lock on <paramref name="table"/> from a connection of
/// its own, so that the archiver's next read of that table waits on the server; once that read is
/// seen waiting, every other connection using the database is killed (the campaign's lock holder
/// too, unless <paramref name="spareLockHolder"/>) and the table is unlocked. The archiver account
/// may kill its own threads, so no administrator account is needed.
/// </summary>
public sealed class MySqlConnectionKiller(TestDatabases db, string killAt, string table, string lockName, bool spareLockHolder) : IArchiveCheckpoints
{
    private readonly List<string> _points = [];
    private Task? _killing;

    /// <summary>Connections killed, with what each was doing then.</summary>
    public List<(long Id, string? Command, string? State, string? Info)> Killed { get; } = [];

    /// <summary>The connection that held the campaign's lock when the others were killed.</summary>
    public long? LockHolder { get; private set; }

    public IReadOnlyList<string> Points => _points;

    /// <summary>Completes once the connections are killed and the table unlocked; throws what went wrong.</summary>
    public Task Done => _killing ?? throw new InvalidOperationException($"checkpoint {killAt} was never reached (reached: {string.Join(", ", _points)})");

    public void Reached(string point)
    {
        _points.Add(point);
        if (point == killAt && _killing is null)
        {
            // The archiver's previous read has ended on the server (a chunk of small rows is sent
            // whole), so nothing holds the table; should something, fail fast rather than wait.
            var blocker = new MySqlConnection(db.ConnectionString);
            blocker.Open();
            blocker.Execute("SET SESSION lock_wait_timeout = 10");
            blocker.Execute($"LOCK TABLES `{table}` WRITE");
            _killing = KillWaitingReaderAsync(blocker);
        }
    }

    private async Task KillWaitingReaderAsync(MySqlConnection blocker)
    {
        await using (blocker)
        {
            await using var admin = new MySqlConnection(TestServers.MySql);
            await admin.OpenAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await admin.ExecuteScalarAsync<long?>(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> @blocker AND STATE = 'Waiting for table metadata lock' LIMIT 1",
                new { db = db.Name, blocker = blocker.ServerThread }) is null)
            {
                await Task.Delay(5, timeout.Token);
            }

            LockHolder = await admin.ExecuteScalarAsync<long?>("SELECT IS_USED_LOCK(@lockName)", new { lockName });
            var victims = (await admin.QueryAsync<(long Id, string? Command, string? State, string? Info)>(
                "SELECT ID, COMMAND, STATE, INFO FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> @blocker AND ID <> CONNECTION_ID()",
                new { db = db.Name, blocker = blocker.ServerThread })).AsList();
            foreach (var victim in victims.Where(v => !spareLockHolder || v.Id != LockHolder))
            {
                await admin.ExecuteAsync($"KILL CONNECTION {victim.Id}");
                Killed.Add(victim);
            }

            await blocker.ExecuteAsync("UNLOCK TABLES");
        }
    }
}
