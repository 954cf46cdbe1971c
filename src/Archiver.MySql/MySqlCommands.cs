using Archiver.Resilience;
using MySqlConnector;
using Polly;
using Polly.Registry;

namespace Archiver.MySql;

/// <summary>
/// How Archiver's MySQL classes talk to the server: a connection per operation from the pooled data
/// source, the operation run through the <see cref="PipelineNames.MySql"/> pipeline (retried when it
/// fails transiently), and every driver error turned into an <see cref="ArchiveSourceException"/>
/// that says what was being done.
/// </summary>
internal sealed class MySqlCommands(MySqlDataSource dataSource, ResiliencePipeline pipeline)
{
    public MySqlCommands(MySqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines)
        : this(dataSource, (pipelines ?? throw new ArgumentNullException(nameof(pipelines))).GetPipeline(PipelineNames.MySql))
    {
    }

    /// <summary>Runs <paramref name="action"/> on a fresh connection; it must be safe to run again (a read, or one transaction).</summary>
    public Task<T> RunAsync<T>(string what, Func<MySqlConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        ExecuteAsync(
            what,
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
            cancellationToken);

    /// <summary>Runs <paramref name="operation"/> through the pipeline, which names it <paramref name="what"/> in its log lines.</summary>
    public async Task<T> ExecuteAsync<T>(string what, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PipelineProperties.Operation, what);
        try
        {
            return await pipeline.ExecuteAsync(static (context, operation) => new ValueTask<T>(operation(context.CancellationToken)), context, operation).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

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
