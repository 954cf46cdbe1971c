namespace Archiver.Purge;

/// <summary>The <c>Purge</c> configuration section: defaults for <c>archiver purge</c> (its options override them per run).</summary>
public sealed class PurgeOptions
{
    public const string SectionName = "Purge";

    /// <summary>
    /// Rows deleted per transaction. A thousand keeps each transaction's row locks, undo log and
    /// replication event small (what pt-archiver's <c>--limit 1000 --commit-each</c> does) while the
    /// commits stay few enough not to be the bottleneck.
    /// </summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Pause between two batches, to leave room for the application's own writes (and replicas) on a busy server.</summary>
    public TimeSpan Sleep { get; set; } = TimeSpan.Zero;
}
