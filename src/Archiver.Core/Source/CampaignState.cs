namespace Archiver.Source;

/// <summary>Where a campaign stands, for <c>archiver archive status</c>.</summary>
public enum CampaignState
{
    /// <summary>Not ended, or ended less than <c>Archive:CompletedAfter</c> ago.</summary>
    Live,

    /// <summary>Will be archived by the next run.</summary>
    Eligible,

    /// <summary>An archiver holds its lock now.</summary>
    Running,

    /// <summary>A run started it and stopped without an outcome (killed); the next run completes it.</summary>
    Interrupted,

    /// <summary>The last attempt failed; the next run tries again.</summary>
    Failed,

    /// <summary>Verified and flagged.</summary>
    Archived,
}
