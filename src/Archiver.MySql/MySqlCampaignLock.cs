using Archiver.Source;
using Dapper;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Archiver.MySql;

/// <summary>
/// A <c>GET_LOCK</c> held by a connection of its own for as long as a campaign is being archived.
/// MySQL releases it when the connection ends, so a killed archiver never leaves it behind. The
/// connection would otherwise sit idle for the whole campaign, and <c>wait_timeout</c> or an
/// idle-killing proxy would end it (and the lock) halfway; a keep-alive asks the server every
/// <see cref="KeepAliveInterval"/> whether the lock is still ours, and remembers when it is not.
/// </summary>
internal sealed class MySqlCampaignLock : ICampaignLock
{
    /// <summary>
    /// <c>archiver:{12 hex digits of SHA-256 of the database name}:</c>, computed by the server.
    /// Locks are server-wide and names are limited to 64 characters, so the database is part of the
    /// name, hashed. Used by <c>GET_LOCK</c> and by the status query alike.
    /// </summary>
    public const string SqlPrefix = "CONCAT('archiver:', LEFT(SHA2(DATABASE(), 256), 12), ':')";

    /// <summary>Well below MySQL's default <c>wait_timeout</c> (8 h) and the 10 minutes managed servers often set.</summary>
    internal static readonly TimeSpan KeepAliveInterval = TimeSpan.FromMinutes(1);

    private readonly MySqlConnection _connection;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _keepAlive;
    private volatile bool _lost;

    public MySqlCampaignLock(MySqlConnection connection, string name, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        Name = name;
        _keepAlive = KeepAliveAsync();
    }

    public string Name { get; }

    public bool IsLost => _lost;

    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken = default)
    {
        if (_lost)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var held = await _connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT IS_USED_LOCK(@name) = CONNECTION_ID()", new { name = Name }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
            _lost |= !held;
            return held;
        }
        catch (MySqlException)
        {
            // The connection is gone, and the lock with it.
            _lost = true;
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(false);
        try
        {
            await _connection.ExecuteAsync(new CommandDefinition("DO RELEASE_LOCK(@name)", new { name = Name })).ConfigureAwait(false);
        }
        catch (MySqlException)
        {
            // Already released with its connection.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
            _gate.Dispose();
        }
    }

    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(KeepAliveInterval);
        try
        {
            while (!_lost && await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (!await IsHeldAsync(_stop.Token).ConfigureAwait(false))
                {
                    Log.LockLost(_logger, Name);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
