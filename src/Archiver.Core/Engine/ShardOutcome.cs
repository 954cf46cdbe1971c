namespace Archiver.Engine;

/// <summary>How one run of one shard ended.</summary>
public enum ShardOutcome
{
    /// <summary>Copied and verified by this run.</summary>
    Verified,

    /// <summary>Found verified already (another worker, or an earlier delivery of the job, did it).</summary>
    AlreadyVerified,

    /// <summary>Another process holds the shard's lock: it is being copied there.</summary>
    HeldElsewhere,

    /// <summary>The campaign is flagged already: nothing left to do.</summary>
    CampaignArchived,
}
