namespace Archiver.Engine;

/// <summary>How the run skeleton ended a campaign short of its step's own outcome; each engine turns it into its outcome.</summary>
internal enum CampaignEnd
{
    /// <summary>Another process holds the campaign's lock.</summary>
    HeldElsewhere,

    /// <summary>Failed for the reason given (the campaign row disappeared).</summary>
    Failed,

    /// <summary>The time limit stopped it between two batches (<see cref="RunStoppedException"/>'s message is the reason).</summary>
    Stopped,

    /// <summary>The run was cancelled (Ctrl+C, SIGTERM) while it was being processed: interrupted, not failed.</summary>
    Cancelled,
}
