using Archiver.Cli.Errors;
using Archiver.CouchDb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Archiver.Cli;

/// <summary>
/// One quick look at both servers before a command's first campaign: one attempt each, no retries,
/// so that a server that is down stops the command at once with one line naming it, instead of
/// every campaign failing in turn after its retries. <c>archiver doctor</c> uses the same checks.
/// </summary>
internal static class Preflight
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>The MySQL server's version, or an exception <see cref="CliErrors"/> describes (host, port, what refused).</summary>
    public static async Task<string> CheckMySqlAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            await using var connection = await services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            return $"{connection.ServerVersion}, database {connection.Database}";
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw NoAnswer($"MySQL at {CliErrors.MySqlEndpoint(services.GetRequiredService<IConfiguration>())}", ex);
        }
    }

    /// <summary>The CouchDB server's product and version, through the configured client without its retries.</summary>
    public static async Task<CouchServerInfo> CheckCouchDbAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            return await Client(services).GetServerInfoAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw NoAnswer($"CouchDB at {CliErrors.CouchDbEndpoint(services.GetRequiredService<IConfiguration>())}", ex);
        }
    }

    /// <summary>The typed CouchDB client with the configured address and credentials, but one attempt per request.</summary>
    public static CouchDbClient Client(IServiceProvider services)
    {
        // No pipeline provider: the client applies only the per-attempt timeout, one attempt per request.
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(CouchDbClient.HttpClientName);
        return new CouchDbClient(http, null, services.GetRequiredService<IOptions<CouchDbOptions>>());
    }

    /// <summary>Both servers, MySQL first; the first one down throws.</summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await CheckMySqlAsync(services, cancellationToken).ConfigureAwait(false);
        await CheckCouchDbAsync(services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The limit ran out (not Ctrl+C): a failure naming the server, made here rather than by each caller,
    /// so that <c>archive status</c>, <c>doctor</c> and the runs' preflight all say it, and say it alike.
    /// </summary>
    private static ArchiverException NoAnswer(string server, OperationCanceledException timedOut) =>
        new($"{server} did not answer within {Limit.TotalSeconds:N0} s", timedOut);
}
