namespace Archiver.Purge;

public enum PurgeOutcome
{
    /// <summary>Verified, and every remaining row of every set deleted.</summary>
    Purged,

    /// <summary>Not touched, for a reason that is not an error (another process holds the campaign, nothing left).</summary>
    Skipped,

    /// <summary>The archive does not match the rows (or the rows changed): nothing more of the campaign deleted.</summary>
    Blocked,

    /// <summary>Something failed (a server, a refusal of a campaign that is not archived); the reason says what.</summary>
    Failed,

    /// <summary>Stopped between batches by the maximum run time or a cancellation; a re-run completes it.</summary>
    Stopped,

    /// <summary>Dry run: counted, nothing written.</summary>
    WouldPurge,
}
