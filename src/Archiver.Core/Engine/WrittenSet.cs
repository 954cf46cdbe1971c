using Archiver.Sets;

namespace Archiver.Engine;

/// <summary>What the writer saved of one set of a campaign: digests of its row documents and of its rollups, for the verifier.</summary>
internal sealed class WrittenSet(ArchiveSet set) : IDisposable
{
    public ArchiveSet Set { get; } = set;

    public RevisionDigest Rows { get; } = new();

    public RevisionDigest Rollups { get; } = new();

    public void Dispose()
    {
        Rows.Dispose();
        Rollups.Dispose();
    }
}
