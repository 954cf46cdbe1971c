namespace Archiver.Replication;

/// <summary>
/// The <c>Replicas</c> configuration section: the archive's replicas (hub and spoke: the central
/// server, <c>CouchDb:Url</c>, replicates to each of them, and stays the only write target) and how
/// reads choose among the central server and the replicas. No servers: reads and writes use
/// <c>CouchDb:Url</c> alone, as before.
/// </summary>
public sealed class ReplicaOptions
{
    public const string SectionName = "Replicas";

    /// <summary>The name <see cref="ReadOrder"/> uses for the central server.</summary>
    public const string CentralName = "central";

    public IList<ReplicaServerOptions> Servers { get; } = [];

    /// <summary>
    /// Names (a replica's <c>Name</c>, or <see cref="CentralName"/>) read from first, in this order, e.g.
    /// <c>["local", "central"]</c>. Servers not listed are peers, tried after them, the healthiest (lowest
    /// recent latency and error rate) first. Empty: the central server, then the replicas as peers.
    /// </summary>
    public IList<string> ReadOrder { get; } = [];

    /// <summary>What the health probe GETs: <c>/_up</c> on CouchDB 3; pouchdb-server has only <c>/</c>.</summary>
    public string ProbePath { get; set; } = "/";

    /// <summary>How often a server is probed while reads use it (and how soon a server marked down is tried again).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>One read request's time on one server before the read moves to the next: short, since another server can answer.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a replica's "not complete yet" answer for a campaign is believed before it is asked again.</summary>
    public TimeSpan IncompleteRecheck { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when any replica is configured.</summary>
    public bool Enabled => Servers.Count > 0;
}
