using System.Net.Http.Headers;
using System.Text;
using Archiver.CouchDb;
using Archiver.CouchDb.Queries;
using Archiver.CouchDb.Replication;
using Archiver.MySql;
using Archiver.Options;
using Archiver.Queries;
using Archiver.Replication;
using Archiver.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace Archiver.Hosting;

/// <summary>
/// The <c>Replicas</c> part of the composition root: the read store that fails over between the
/// central server and the replicas (when any is configured), the replica journal and
/// <see cref="ReplicaSync"/>. Without replicas the archive store is the plain <see cref="CouchCampaignStore"/>.
/// </summary>
internal static class ReplicaServices
{
    public static IServiceCollection AddArchiverReplicas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReplicaOptions>().Bind(configuration.GetSection(ReplicaOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplicaOptions>, ReplicaOptionsValidator>();
        services.AddSingleton<IReplicaJournal, MySqlReplicaJournal>();
        services.AddSingleton<ReplicaClients>();
        services.AddSingleton(sp => new ReplicaSync(
            sp.GetRequiredService<CouchDbClient>(),
            sp.GetRequiredService<IOptions<CouchDbOptions>>().Value,
            sp.GetRequiredService<IOptions<ReplicaOptions>>().Value,
            sp.GetRequiredService<IOptions<ArchiveOptions>>().Value,
            sp.GetRequiredService<IReplicaJournal>(),
            sp.GetRequiredService<ReplicaClients>().For,
            sp.GetRequiredService<ILogger<ReplicaSync>>()));
        services.AddSingleton<IArchivedCampaignStore>(sp => sp.GetRequiredService<IOptions<ReplicaOptions>>().Value.Enabled
            ? CreateFailoverStore(sp)
            : ActivatorUtilities.CreateInstance<CouchCampaignStore>(sp, sp.GetRequiredService<CouchDbClient>()));
        return services;
    }

    /// <summary>Every CouchDB server Archiver talks to: the central one first, then the replicas.</summary>
    public static IEnumerable<Uri> Endpoints(IServiceProvider services)
    {
        yield return services.GetRequiredService<IOptions<CouchDbOptions>>().Value.BaseAddress;
        foreach (var server in services.GetRequiredService<IOptions<ReplicaOptions>>().Value.Servers)
        {
            yield return server.BaseAddress;
        }
    }

    /// <summary>An HTTP client on <paramref name="root"/> with basic auth when a user is given; the pipelines apply the timeouts.</summary>
    public static HttpClient Http(Uri root, string? user, string? password, TimeSpan connectTimeout)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = connectTimeout })
        {
            BaseAddress = root,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrEmpty(user))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return http;
    }

    private static FailoverCampaignStore CreateFailoverStore(IServiceProvider sp)
    {
        var couch = sp.GetRequiredService<IOptions<CouchDbOptions>>().Value;
        var replicas = sp.GetRequiredService<IOptions<ReplicaOptions>>().Value;
        var pipelines = sp.GetRequiredService<ResiliencePipelineProvider<string>>();

        // Reads give each server ReadTimeout, then move on; a view query reads stale=ok, so it builds nothing.
        var readOptions = Microsoft.Extensions.Options.Options.Create(new CouchDbOptions
        {
            Url = couch.Url, Username = couch.Username, Password = couch.Password, Timeout = replicas.ReadTimeout, ViewTimeout = replicas.ReadTimeout,
            MaxDocumentBytes = couch.MaxDocumentBytes,
        });
        var servers = new List<(string Name, Uri Root, string? User, string? Password, bool Central)> { (ReplicaOptions.CentralName, couch.BaseAddress, couch.Username, couch.Password, true) };
        servers.AddRange(replicas.Servers.Select(s => (s.Name, s.BaseAddress, s.Username, s.Password, false)));
        var endpoints = servers.Select(s =>
        {
            var http = Http(s.Root, s.User, s.Password, replicas.ReadTimeout);
            var client = new CouchDbClient(http, sp.GetRequiredService<ILogger<CouchDbClient>>(), readOptions, pipelines, PipelineNames.CouchDbRead(s.Root));
            var store = ActivatorUtilities.CreateInstance<CouchCampaignStore>(sp, client);
            var rank = replicas.ReadOrder.Count == 0
                ? (s.Central ? 0 : ReadEndpointHealth.PeerRank)
                : replicas.ReadOrder.IndexOf(s.Name) is var at and >= 0 ? at : ReadEndpointHealth.PeerRank;
            return new ReadEndpoint(s.Name, s.Root, s.Central, client, store, new ReadEndpointHealth(s.Name, rank, replicas.ProbeInterval), http);
        }).ToList();
        return new FailoverCampaignStore(endpoints, sp.GetRequiredService<IReplicaJournal>(), replicas, sp.GetRequiredService<ILogger<FailoverCampaignStore>>());
    }
}
