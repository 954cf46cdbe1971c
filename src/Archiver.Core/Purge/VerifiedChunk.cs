namespace Archiver.Purge;

/// <summary>
/// A chunk verified by <see cref="ChunkVerifier"/>: its rows left, in delete batches as read before
/// verification (to delete only when <see cref="Proof"/> is <see cref="ChunkProof.Revisions"/> or
/// <see cref="ChunkProof.Contents"/>), and how long verifying it took.
/// </summary>
internal sealed record VerifiedChunk(ArchivedChunk Chunk, IReadOnlyList<PurgeChunk> Batches, ChunkProof Proof, TimeSpan Elapsed)
{
    public long Rows => Batches.Sum(b => b.Fingerprint.Count);
}
