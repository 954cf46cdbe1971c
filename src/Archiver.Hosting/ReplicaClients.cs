using System.Collections.Concurrent;
using Archiver.CouchDb;
using Archiver.Replication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace Archiver.Hosting;

/// <summary>
/// One CouchDB client per replica for <see cref="Archiver.CouchDb.Replication.ReplicaSync"/>: the
/// replica's own pipeline (retries, circuit breaker) and <c>CouchDb:Timeout</c>/<c>ViewTimeout</c>,
/// since building a replica's views takes as long as anywhere. Made on first use, kept for the process.
/// </summary>
internal sealed class ReplicaClients(IOptions<CouchDbOptions> couch, ResiliencePipelineProvider<string> pipelines, ILogger<CouchDbClient> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, (HttpClient Http, CouchDbClient Client)> _clients = new(StringComparer.Ordinal);

    public CouchDbClient For(ReplicaServerOptions server) => _clients.GetOrAdd(server.Name, _ =>
    {
        var http = ReplicaServices.Http(server.BaseAddress, server.Username, server.Password, TimeSpan.FromSeconds(30));
        var options = Microsoft.Extensions.Options.Options.Create(new CouchDbOptions
        {
            Url = server.BaseAddress.ToString(), Username = server.Username, Password = server.Password,
            Timeout = couch.Value.Timeout, ViewTimeout = couch.Value.ViewTimeout, MaxDocumentBytes = couch.Value.MaxDocumentBytes,
        });
        return (http, new CouchDbClient(http, logger, options, pipelines));
    }).Client;

    public void Dispose()
    {
        foreach (var (http, _) in _clients.Values)
        {
            http.Dispose();
        }
    }
}
