using Archiver.Resilience;
using MySqlConnector;
using Polly;
using Polly.Registry;

namespace Archiver.MySql;

/// <summary>Waits until a MySQL server answers, through the <see cref="PipelineNames.MySqlStartup"/> pipeline.</summary>
public static class MySqlStartup
{
    /// <summary>
    /// Returns once a connection with <paramref name="connectionString"/> opens. While the server is
    /// unreachable the pipeline logs one line per attempt and tries again; a non-transient error
    /// (wrong password, unknown database) is thrown as <see cref="ArchiveSourceException"/>.
    /// </summary>
    public static async Task WaitAsync(string connectionString, ResiliencePipelineProvider<string> pipelines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        var server = Describe(connectionString);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PipelineProperties.Operation, server);
        try
        {
            await pipelines.GetPipeline(PipelineNames.MySqlStartup).ExecuteAsync(
                static async (context, state) =>
                {
                    try
                    {
                        await using var connection = new MySqlConnection(state.ConnectionString);
                        await connection.OpenAsync(context.CancellationToken).ConfigureAwait(false);
                    }
                    catch (MySqlException ex)
                    {
                        throw MySqlCommands.Translate(ex, "connecting to " + state.Server);
                    }
                },
                context,
                (ConnectionString: connectionString, Server: server)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The server as a log line names it: host and port, never the credentials.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        return $"MySQL at {builder.Server}:{builder.Port}";
    }
}
