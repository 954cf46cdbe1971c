using System.Security.Cryptography;
using System.Text;
using Archiver.Documents;

namespace Archiver.Engine;

/// <summary>
/// What a campaign's archive of one set is at one moment: a SHA-256 over the id and revision of every
/// live document of its row range and then of its rollup range, in id order. A revision names one
/// immutable content and any write makes a new one, so the same value read again proves that nothing
/// in either range was written, deleted or added in between. Verification builds it from what it
/// read; the flag transaction reads the ranges again (ids and revisions only) and flags only if they
/// are still exactly that.
/// </summary>
internal sealed class RangeRevisions : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Count { get; private set; }

    /// <summary>Lower-case hex of the digest so far.</summary>
    public string Value => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Add(string id, string revision)
    {
        // Lengths first: no two sequences of (id, revision) append the same bytes.
        Span<byte> lengths = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(lengths, Encoding.UTF8.GetByteCount(id));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(lengths[4..], Encoding.UTF8.GetByteCount(revision));
        _hash.AppendData(lengths);
        _hash.AppendData(Encoding.UTF8.GetBytes(id));
        _hash.AppendData(Encoding.UTF8.GetBytes(revision));
        Count++;
    }

    /// <summary>Reads the set's row and rollup ranges of a campaign now (ids and revisions, no bodies).</summary>
    public static async Task<string> ReadAsync(IDocumentStore store, string database, string table, long campaignId, CancellationToken cancellationToken)
    {
        using var revisions = new RangeRevisions();
        foreach (var (start, end) in new[] { DocumentIds.RowRange(table, campaignId), DocumentIds.RollupRange(table, campaignId) })
        {
            await foreach (var document in store.ReadRangeAsync(database, start, end, includeDocs: false, RevisionPairing.PageSize, cancellationToken).ConfigureAwait(false))
            {
                revisions.Add(document.Id, document.Rev!);
            }
        }

        return revisions.Value;
    }

    public void Dispose() => _hash.Dispose();
}
