namespace Archiver.Source;

/// <summary>What the flag transaction found.</summary>
public enum FlagOutcome
{
    /// <summary><c>archived</c> was 0, every set's rows were unchanged, and the flag is now set.</summary>
    Flagged,

    /// <summary>Another run set the flag first; nothing was changed.</summary>
    AlreadyArchived,

    /// <summary>The campaign row no longer exists.</summary>
    CampaignMissing,

    /// <summary>Its <c>ends_at</c> is no longer at least <c>Archive:CompletedAfter</c> before the database's clock (re-opened); nothing was changed.</summary>
    NoLongerEligible,
}
