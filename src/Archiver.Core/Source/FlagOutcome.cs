namespace Archiver.Source;

/// <summary>What happened when the engine asked to set a campaign's <c>archived</c> flag.</summary>
public enum FlagOutcome
{
    /// <summary>The flag was set in this transaction.</summary>
    Flagged,

    /// <summary>Someone else flagged it first; nothing changed.</summary>
    AlreadyArchived,

    /// <summary>The rows are no longer the verified ones (inserted or deleted since); nothing changed.</summary>
    RowsChanged,

    /// <summary>The campaign row is gone.</summary>
    CampaignMissing,
}
