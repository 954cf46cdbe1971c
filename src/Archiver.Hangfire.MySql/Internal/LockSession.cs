using System.Diagnostics;
using Dapper;
using Hangfire.Storage;
using MySqlConnector;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// The distributed locks of one storage connection, all held by one dedicated MySQL session.
/// GET_LOCK locks belong to the session: a pooled connection's reset would release them, so the
/// session is kept open while any lock is held and returned once none is. Before it goes back to the
/// pool it releases every lock it may still hold (RELEASE_ALL_LOCKS): a returned session is only reset
/// when it is next handed out, and until then its locks would stay held by nobody, then vanish under
/// whoever took them meanwhile.
/// Acquisitions are counted here, so re-entrance costs no round trip and the last release frees.
/// The server frees every lock of a session that dies, so a crashed worker never keeps one.
/// </summary>
internal sealed class LockSession(MySqlStorage storage) : IDisposable
{
    /// <summary>GET_LOCK waits at most this long per call, so that a caller's timeout is kept to about a second.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, int> _held = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private MySqlConnection? _connection;

    public IDisposable Acquire(string resource, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var name = storage.LockName(resource);
        lock (_gate)
        {
            if (_held.TryGetValue(name, out var count))
            {
                _held[name] = count + 1;
                return new Handle(this, name);
            }

            var stopwatch = Stopwatch.StartNew();
            while (true)
            {
                var remaining = timeout - stopwatch.Elapsed;
                var wait = remaining >= MaxWait ? 1 : 0;
                long? result;
                try
                {
                    result = Connection().ExecuteScalar<long?>("SELECT GET_LOCK(@name, @wait)", new { name, wait });
                }
                catch (MySqlException ex)
                {
                    // Dropping the session releases every lock it held (RELEASE_ALL_LOCKS, or the server when
                    // the session is gone), so none is counted as held any more.
                    if (_held.Count > 0)
                    {
                        Log.LockConnectionLost(storage.Logger, _held.Count);
                        _held.Clear();
                    }

                    DropConnection();
                    throw new MySqlStorageException($"could not take the lock {resource} (GET_LOCK '{name}'): {ex.Message}", ex);
                }

                if (result == 1)
                {
                    _held[name] = 1;
                    return new Handle(this, name);
                }

                if (result is null)
                {
                    throw new MySqlStorageException($"the server refused the lock {resource} (GET_LOCK '{name}' returned NULL)");
                }

                if (stopwatch.Elapsed >= timeout)
                {
                    // Hangfire recognises locks by the resource's suffix (e.g. recurring-jobs:lock): the message keeps it whole.
                    throw new DistributedLockTimeoutException(resource);
                }

                if (wait == 0)
                {
                    Thread.Sleep(TimeSpan.FromMilliseconds(Math.Clamp((timeout - stopwatch.Elapsed).TotalMilliseconds, 1, 100)));
                }
            }
        }
    }

    /// <summary>The server thread id of the lock session, or null when none is open (tests kill it).</summary>
    public int? ServerThread
    {
        get
        {
            lock (_gate)
            {
                return _connection?.ServerThread;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            // Closing the session frees whatever it still holds.
            _held.Clear();
            DropConnection();
        }
    }

    private void Release(string name)
    {
        lock (_gate)
        {
            if (!_held.TryGetValue(name, out var count))
            {
                return;
            }

            if (count > 1)
            {
                _held[name] = count - 1;
                return;
            }

            _held.Remove(name);
            try
            {
                _connection?.Execute("DO RELEASE_LOCK(@name)", new { name });
            }
            catch (MySqlException)
            {
                // The session is gone, and its locks with it.
                Log.LockConnectionLost(storage.Logger, _held.Count + 1);
                _held.Clear();
                DropConnection();
            }

            if (_held.Count == 0)
            {
                DropConnection();
            }
        }
    }

    private MySqlConnection Connection()
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        if (_held.Count > 0)
        {
            Log.LockConnectionLost(storage.Logger, _held.Count);
            _held.Clear();
        }

        DropConnection();
        _connection = storage.OpenConnection();
        return _connection;
    }

    private void DropConnection()
    {
        if (_connection is { State: System.Data.ConnectionState.Open } open)
        {
            try
            {
                open.Execute("DO RELEASE_ALL_LOCKS()");
            }
            catch (MySqlException)
            {
                // A session that cannot answer is gone, and the server has freed its locks.
            }
        }

        _connection?.Dispose();
        _connection = null;
    }

    private sealed class Handle(LockSession session, string name) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                session.Release(name);
            }
        }
    }
}
