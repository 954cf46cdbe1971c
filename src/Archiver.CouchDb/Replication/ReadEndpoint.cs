using Archiver.CouchDb.Queries;
using Archiver.Replication;

namespace Archiver.CouchDb.Replication;

/// <summary>
/// One server reads can use: the central server (<c>CouchDb:Url</c>) or a replica, with its own
/// client (the read pipeline: one attempt, its own circuit breaker), its own archive store (so its
/// own page indexes and totals) and what reads know of its health.
/// </summary>
public sealed class ReadEndpoint(string name, Uri address, bool isCentral, CouchDbClient client, CouchCampaignStore store, ReadEndpointHealth health, HttpClient http)
{
    public string Name { get; } = name;

    /// <summary>The server root, without credentials.</summary>
    public Uri Address { get; } = address;

    /// <summary>The central server, where campaigns are archived and verified: it holds every flagged campaign complete.</summary>
    public bool IsCentral { get; } = isCentral;

    public CouchDbClient Client { get; } = client;

    public CouchCampaignStore Store { get; } = store;

    public ReadEndpointHealth Health { get; } = health;

    /// <summary>The HTTP client of <see cref="Client"/> (base address and credentials set), for probes.</summary>
    internal HttpClient Http { get; } = http;
}
