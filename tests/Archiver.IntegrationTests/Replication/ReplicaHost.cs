using System.Globalization;
using Archiver.CouchDb.Replication;
using Archiver.Hosting;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Queries;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.IntegrationTests.Replication;

/// <summary>
/// Archiver composed as every host composes it (<c>AddArchiver</c>), on a test's databases, with a
/// central server and replicas: the failover store and <see cref="ReplicaSync"/> as production gets them.
/// </summary>
public sealed class ReplicaHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="db">The test's MySQL database and archive database names.</param>
    /// <param name="central">The central server: the test server (with its account) when null, else a server of the test's own in admin party.</param>
    /// <param name="replicas">Name, URL and mode (OneShot, Continuous, None) of each replica.</param>
    /// <param name="readOrder">Replicas:ReadOrder.</param>
    public ReplicaHost(TestDatabases db, Uri? central, IReadOnlyList<(string Name, Uri Url, string Mode)> replicas, IReadOnlyList<string> readOrder)
    {
        ArgumentNullException.ThrowIfNull(db);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:MySql"] = db.ConnectionString,
            ["Archive:Sets:0:Database"] = db.EntriesDb,
            ["Archive:Sets:1:Database"] = db.VotesDb,
            ["Resilience:BaseDelay"] = "00:00:00.010",
            ["Resilience:MaxDelay"] = "00:00:00.050",
            ["Resilience:BreakDuration"] = "00:00:01",
            ["Replicas:ProbeInterval"] = "00:00:00.500",
            ["Replicas:ReadTimeout"] = "00:00:05",
            ["Replicas:IncompleteRecheck"] = "00:00:00",
        };
        if (central is null)
        {
            var couch = new Dictionary<string, string>();
            TestServers.AddCouchDbSettings(couch);
            foreach (var (key, value) in couch)
            {
                settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }
        else
        {
            // A central server of the test's own (pouchdb-server, admin party): the test server's
            // account (ARCHIVER_COUCHDB_USER, for a real CouchDB) does not exist there.
            settings["CouchDb:Url"] = central.ToString();
        }

        for (var i = 0; i < replicas.Count; i++)
        {
            settings[$"Replicas:Servers:{i}:Name"] = replicas[i].Name;
            settings[$"Replicas:Servers:{i}:Url"] = replicas[i].Url.ToString();
            settings[$"Replicas:Servers:{i}:Mode"] = replicas[i].Mode;
        }

        for (var i = 0; i < readOrder.Count; i++)
        {
            settings[$"Replicas:ReadOrder:{i}"] = readOrder[i];
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(Repository.File("appsettings.json")).AddInMemoryCollection(settings).Build();
        _services = new ServiceCollection().AddLogging().AddArchiver(configuration).BuildServiceProvider();
        _services.ValidateArchiverOptions();
    }

    public FailoverCampaignStore Store => (FailoverCampaignStore)_services.GetRequiredService<IArchivedCampaignStore>();

    public ReplicaSync Sync => _services.GetRequiredService<ReplicaSync>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Syncs once, then measures until every replica holds every archived campaign complete; the statuses seen, last first.</summary>
    public async Task<IReadOnlyList<ReplicaStatus>> SyncUntilCaughtUpAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var status = await Sync.SyncAsync();
        while (status.Any(s => s.LagCampaigns > 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("replicas not caught up: " + string.Join("; ", status.Select(s =>
                    $"{s.Replica} lag {s.LagCampaigns.ToString(CultureInfo.InvariantCulture)} {s.Problem} [{string.Join(", ", s.Databases.Select(d => $"{d.Database} {d.State} {d.DocsWritten}"))}]")));
            }

            await Task.Delay(300);
            status = await Sync.StatusAsync();
        }

        return status;
    }

    /// <summary>Removes the test's replications from the central server's <c>_replicator</c>, so that none outlives its replicas.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Sync.RemoveReplicationsAsync();
        }
        finally
        {
            await _services.DisposeAsync();
        }
    }
}
