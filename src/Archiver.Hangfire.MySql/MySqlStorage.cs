using Archiver.Hangfire.MySql.Internal;
using Archiver.Hangfire.MySql.Schema;
using Hangfire;
using Hangfire.Server;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Archiver.Hangfire.MySql;

/// <summary>
/// Hangfire's job storage on MySQL 8.0+ or MariaDB 10.6+ (both have <c>FOR UPDATE SKIP LOCKED</c>).
/// Queues use sliding invisibility with fetch tokens (no global queue lock), locks are
/// <c>GET_LOCK</c> on a dedicated session, and every transaction runs at READ COMMITTED.
/// </summary>
public sealed class MySqlStorage : JobStorage, IDisposable
{
    private static readonly HashSet<string> Features = new(StringComparer.OrdinalIgnoreCase)
    {
        "Storage.ExtendedApi",
        "Storage.ProcessesInsteadOfComponents",
        JobStorageFeatures.JobQueueProperty,
        JobStorageFeatures.Connection.GetUtcDateTime,
        JobStorageFeatures.Connection.BatchedGetFirstByLowest,
        "Connection.BatchedGetFirstByLowestScoreFromSet",
        "Connection.GetSetContains",
        JobStorageFeatures.Connection.LimitedGetSetCount,
        JobStorageFeatures.Transaction.AcquireDistributedLock,
        "Monitoring.DeletedStateGraphs",
        "Monitoring.AwaitingJobs",
    };

    private readonly MySqlDataSource _dataSource;
    private readonly string _database;

    public MySqlStorage(string connectionString, MySqlStorageOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        Options = options ?? new MySqlStorageOptions();
        if (Options.Validate() is { Count: > 0 } errors)
        {
            throw new MySqlStorageException("invalid Hangfire storage options: " + string.Join(" ", errors));
        }

        var builder = new MySqlConnectionStringBuilder(connectionString)
        {
            // Times are UTC in the schema; read them as such.
            DateTimeKind = MySqlDateTimeKind.Utc,

            // UPDATE must report matched rows, not changed ones: a heartbeat or a lease renewed
            // within the same microsecond changes nothing but must still count as found.
            UseAffectedRows = false,
        };
        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new MySqlStorageException("the Hangfire storage connection string names no database (Database=...)");
        }

        _database = builder.Database;
        _dataSource = new MySqlDataSourceBuilder(builder.ConnectionString).Build();
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = LoggerFactory.CreateLogger("Archiver.Hangfire.MySql");
        Tables = new StorageTables(Options.TablePrefix);
        FetchedJobs = new FetchedJobRegistry();
        if (Options.PrepareSchemaIfNecessary)
        {
            try
            {
                using var connection = OpenConnection();
                MySqlObjectsInstaller.Install(connection, Options.TablePrefix, Logger);
            }
            catch (MySqlException ex)
            {
                // Named here: the storage may have a server of its own, and the driver's message names none.
                _dataSource.Dispose();
                NewJobs.Dispose();
                throw new MySqlStorageException(FormattableString.Invariant($"MySQL at {builder.Server}:{builder.Port}, database {builder.Database}: {ex.Message}"), ex);
            }
        }
    }

    public MySqlStorageOptions Options { get; }

    /// <summary>The storage reads its own writes from any connection: InnoDB commits are visible to every later statement.</summary>
    public override bool LinearizableReads => true;

    internal StorageTables Tables { get; }

    internal ILogger Logger { get; }

    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>Jobs fetched through this storage object whose leases the keep-alive renews.</summary>
    internal FetchedJobRegistry FetchedJobs { get; }

    /// <summary>Released by a commit that enqueued, so that a waiting fetch in this process looks again at once.</summary>
    internal SemaphoreSlim NewJobs { get; } = new(0, int.MaxValue);

    public override IStorageConnection GetConnection() => new MySqlStorageConnection(this);

    public override IMonitoringApi GetMonitoringApi() => new MySqlMonitoringApi(this);

    public override bool HasFeature(string featureId)
    {
        ArgumentNullException.ThrowIfNull(featureId);
        return Features.Contains(featureId) || base.HasFeature(featureId);
    }

    public override IEnumerable<IBackgroundProcess> GetStorageWideProcesses()
    {
        yield return new ExpirationManager(this);
        yield return new CountersAggregator(this);
    }

    public override IEnumerable<IBackgroundProcess> GetServerRequiredProcesses()
    {
        yield return new FetchedJobsKeepAlive(this);
    }

    public override string ToString() => $"MySQL {_database} ({Options.TablePrefix}*)";

    public void Dispose()
    {
        _dataSource.Dispose();
        NewJobs.Dispose();
    }

    internal MySqlConnection OpenConnection() => _dataSource.OpenConnection();

    internal string LockName(string resource) => LockNames.For(_database, Options.TablePrefix, resource);

    internal T Use<T>(Func<MySqlConnection, T> action)
    {
        using var connection = OpenConnection();
        return action(connection);
    }

    internal void Use(Action<MySqlConnection> action)
    {
        using var connection = OpenConnection();
        action(connection);
    }

    /// <summary>Wakes up to <paramref name="count"/> fetches waiting in this process; extra permits only cost an early poll.</summary>
    internal void SignalNewJobs(int count)
    {
        if (NewJobs.CurrentCount < 64)
        {
            NewJobs.Release(Math.Min(count, 64));
        }
    }
}
