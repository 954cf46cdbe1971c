namespace Archiver.Engine;

public enum CampaignOutcome
{
    /// <summary>Copied, verified and flagged.</summary>
    Archived,

    /// <summary>Not touched, for a reason that is not an error (already archived, kind not archived yet).</summary>
    Skipped,

    /// <summary>Not flagged because something failed; the reason says what.</summary>
    Failed,

    /// <summary>
    /// The run's time limit was reached between two batches: what was sent is saved, nothing is
    /// flagged, and the next run finishes it (it shows as interrupted in <c>archive status</c>).
    /// </summary>
    Stopped,

    /// <summary>
    /// Interrupted by Ctrl+C or SIGTERM: what was sent is saved, nothing is flagged, the journal says
    /// <c>interrupted</c> and the next run continues it. Not a failure.
    /// </summary>
    Interrupted,

    /// <summary>Dry run: counted, nothing written.</summary>
    WouldArchive,
}
