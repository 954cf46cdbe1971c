namespace Archiver.Replication;

/// <summary>One replica of the archive (an entry of <c>Replicas:Servers</c>).</summary>
public sealed class ReplicaServerOptions
{
    /// <summary>A short name for status output, logs and <c>archiver_replica_campaigns.replica</c> (letters, digits, '-', '_').</summary>
    public string Name { get; set; } = "";

    /// <summary>The replica's root URL, without credentials; the central server must reach it at this address too.</summary>
    public string Url { get; set; } = "";

    /// <summary>Basic-auth user on the replica; empty for an admin-party server.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The archive sets (their <c>Table</c>) it holds; empty: every set.</summary>
    public IList<string> Sets { get; } = [];

    public ReplicationMode Mode { get; set; } = ReplicationMode.OneShot;

    /// <summary>The URL as a base address (always ending in a slash).</summary>
    public Uri BaseAddress => new(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute);

    /// <summary>True when the replica holds <paramref name="table"/>'s set.</summary>
    public bool Holds(string table) => Sets.Count == 0 || Sets.Contains(table, StringComparer.Ordinal);
}
