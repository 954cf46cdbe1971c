namespace Archiver.Replication;

/// <summary>How the central server keeps a replica up to date.</summary>
public enum ReplicationMode
{
    /// <summary>One pass per sync (after each archive run, and on the <c>replicas-sync</c> schedule).</summary>
    OneShot,

    /// <summary>A continuous replication the central server keeps running; each sync only checks it is there.</summary>
    Continuous,

    /// <summary>Not replicated by Archiver (someone else feeds it): only read from, and its lag measured.</summary>
    None,
}
