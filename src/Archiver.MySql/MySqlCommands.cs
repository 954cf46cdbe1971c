using Archiver.Retry;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Archiver.MySql;

/// <summary>
/// How Archiver's MySQL classes talk to the server: a connection per operation from the pooled data
/// source, the operation retried by <see cref="RetryPolicy"/> when it fails transiently, and every
/// driver error turned into an <see cref="ArchiveSourceException"/> that says what was being done.
/// </summary>
internal sealed class MySqlCommands(MySqlDataSource dataSource, RetryPolicy retry, ILogger logger)
{
    /// <summary>Runs <paramref name="action"/> on a fresh connection; it must be safe to run again (a read, or one transaction).</summary>
    public Task<T> RunAsync<T>(string what, Func<MySqlConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(
            async ct =>
            {
                await using var connection = await OpenAsync(what, ct).ConfigureAwait(false);
                try
                {
                    return await action(connection, ct).ConfigureAwait(false);
                }
                catch (MySqlException ex)
                {
                    throw Translate(ex, what);
                }
            },
            IsTransient,
            (ex, attempt, delay) => Log.Retrying(logger, what, ex.Message, delay.TotalSeconds),
            cancellationToken);

    /// <summary>An open connection the caller owns (not retried).</summary>
    public async Task<MySqlConnection> OpenAsync(string what, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException ex)
        {
            throw Translate(ex, what);
        }
    }

    public static ArchiveSourceException Translate(MySqlException ex, string what) =>
        new($"MySQL error while {what}: {ex.Message}", ex, IsTransient(ex));

    /// <summary>Deadlocks, lock wait timeouts, refused and lost connections: what a later attempt can get past.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ArchiveSourceException source => source.IsTransient,
        MySqlException mysql => mysql.IsTransient
            || mysql.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout
                or MySqlErrorCode.ConnectionCountError or MySqlErrorCode.ServerShutdown or MySqlErrorCode.QueryInterrupted
            || mysql.InnerException is IOException or System.Net.Sockets.SocketException,
        IOException => true,
        _ => false,
    };
}
