using Archiver.Bench.Phases;

namespace Archiver.Bench.Report;

/// <summary>Everything one harness run measured.</summary>
internal sealed record BenchReport
{
    public required DateTimeOffset Started { get; init; }

    public required string Note { get; init; }

    public required MachineInfo Machine { get; init; }

    public required Versions Versions { get; init; }

    public required IReadOnlyList<SeededCampaign> Campaigns { get; init; }

    public required int BatchSize { get; init; }

    public required CeilingResult Ceiling { get; init; }

    public required ArchiveResult Archive { get; init; }

    public required ArchiveResult RssArchive { get; init; }

    public required ArchiveResult SinkArchive { get; init; }

    /// <summary>Row documents per second of the sink run's copy phase, as the sink timed it.</summary>
    public required double SinkCopyDocumentsPerSecond { get; init; }

    public required PurgeResult Purge { get; init; }

    public required PurgeResult PtArchiver { get; init; }

    /// <summary><c>pouchdb</c> or <c>couchdb</c> (<c>--server</c>).</summary>
    public required string Server { get; init; }

    /// <summary>Entries of the shards scenario's campaign; 0 when it was not run.</summary>
    public required int ShardsEntries { get; init; }

    /// <summary>The shards scenario: unsharded first, then 1, 2 and 4 shards at once; empty when not run.</summary>
    public required IReadOnlyList<ArchiveResult> Shards { get; init; }
}
