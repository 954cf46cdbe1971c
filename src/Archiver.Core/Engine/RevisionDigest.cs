using System.Buffers.Binary;
using System.Text;
using Archiver.Documents;
using Archiver.Sets;

namespace Archiver.Engine;

/// <summary>
/// A SHA-256 over a set's documents in id order, each as (id, content hash, revision). The writer
/// builds one from what it saved and the revisions CouchDB answered; the verifier builds one from
/// the rows as MySQL returns them now and the revisions <c>_all_docs</c> lists now. A revision
/// names one immutable content, so equal digests prove that every row has a document holding
/// exactly its content, and that no other document is in the range, without reading a single
/// document body. Anything else makes the verifier read and compare every document. Built from ids
/// and revisions alone (<see cref="ReadArchiveAsync"/>), it pins what the archive is at one moment,
/// which the flag transaction checks again last.
/// </summary>
public sealed class RevisionDigest : IDisposable
{
    private readonly BufferedSha256 _hash = new();
    private readonly List<string> _readById = [];

    public long Count { get; private set; }

    /// <summary>
    /// The ids, in the order added, of documents added from a <see cref="DocumentPair{T}"/> that a range
    /// read did not list and a read by id found (see <see cref="DocumentRangeJoin"/>): reading the archive
    /// again (<see cref="ReadArchiveAsync"/>) looks them up by id too.
    /// </summary>
    public IReadOnlyList<string> ReadById => _readById;

    public void Add(string id, ContentHash content, string revision)
    {
        ArgumentNullException.ThrowIfNull(content);
        AppendText(id);
        _hash.Append(content.Bytes);
        AppendText(revision);
        Count++;
    }

    /// <summary>
    /// Adds a document by id and revision alone: for the digest of what a campaign's archive ranges
    /// are at one moment (see <see cref="ReadArchiveAsync"/>), whose contents verification proved.
    /// </summary>
    public void Add(string id, string revision)
    {
        AppendText(id);
        AppendText(revision);
        Count++;
    }

    /// <summary>Adds a joined document by id and revision (see <see cref="Add(string, string)"/>), remembering it when it was read by id.</summary>
    internal void Add<T>(DocumentPair<T> pair)
        where T : class
    {
        var document = pair.Document ?? throw new ArgumentException("the step has no document", nameof(pair));
        Add(document.Id, document.Rev!);
        if (pair.ReadById)
        {
            _readById.Add(document.Id);
        }
    }

    /// <summary>
    /// Reads a set's row and then rollup range of a campaign now (ids and revisions, no bodies) into a
    /// digest of <see cref="Add(string, string)"/>. Verification builds the same from what it read;
    /// the flag transaction reads it again and flags only if it is unchanged: any write, delete or
    /// re-create in either range makes a new revision. When <paramref name="rowChunks"/> is given, it
    /// also gets the digest of every <see cref="Purge.ArchivedChunk.Rows"/> consecutive row documents
    /// (the flag records them for the purge, see <see cref="Purge.ArchivedChunk"/>), from the same read.
    /// The ids verification found only by id (<paramref name="readById"/>, its digest's <see cref="ReadById"/>)
    /// are looked up by id again when the ranges do not list them: a cluster's copy still behind must not
    /// refuse the flag, and a document that is gone still does.
    /// </summary>
    public static async Task<string> ReadArchiveAsync(
        IDocumentStore store, ArchiveSet set, long campaignId, IReadOnlyList<string> readById, ICollection<string>? rowChunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(readById);
        using var digest = new RevisionDigest();
        // Rollups may live in a database of their own (ArchiveSet.RollupDatabase).
        foreach (var (database, (start, end), isRows) in new[]
                 {
                     (set.Database, DocumentIds.RowRange(set.Table, campaignId), true),
                     (set.RollupDatabase, DocumentIds.RollupRange(set.Table, campaignId), false),
                 })
        {
            var chunk = isRows && rowChunks is not null ? new RevisionDigest() : null;
            try
            {
                var expected = readById.Where(id => string.CompareOrdinal(id, start) >= 0 && string.CompareOrdinal(id, end) < 0).ToAsyncEnumerable();
                await foreach (var (_, document) in DocumentRangeJoin.JoinAsync(expected, id => id, store, database, start, end, includeDocs: false, RevisionPairing.PageSize, cancellationToken)
                                   .ConfigureAwait(false))
                {
                    if (document is null)
                    {
                        // Found by id at verification, not now: the digest differs and the flag is refused.
                        continue;
                    }

                    digest.Add(document.Id, document.Rev!);
                    if (chunk is not null)
                    {
                        chunk.Add(document.Id, document.Rev!);
                        if (chunk.Count == Purge.ArchivedChunk.Rows)
                        {
                            rowChunks!.Add(chunk.Value);
                            chunk.Dispose();
                            chunk = new RevisionDigest();
                        }
                    }
                }

                if (chunk is { Count: > 0 })
                {
                    rowChunks!.Add(chunk.Value);
                }
            }
            finally
            {
                chunk?.Dispose();
            }
        }

        return digest.Value;
    }

    /// <summary>True when both saw the same documents, contents and revisions in the same order.</summary>
    public bool Matches(RevisionDigest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Count == other.Count && _hash.GetCurrentHash().AsSpan().SequenceEqual(other._hash.GetCurrentHash());
    }

    /// <summary>The digest so far, lower-case hex (64 characters).</summary>
    public string Value => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Dispose() => _hash.Dispose();

    /// <summary>Length-prefixed, so that no two different sequences of texts append the same bytes.</summary>
    private void AppendText(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length + 4 > BufferedSha256.Capacity)
        {
            var bytes = new byte[length + 4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
            Encoding.UTF8.GetBytes(text, bytes.AsSpan(4));
            _hash.Append(bytes);
            return;
        }

        var buffer = _hash.GetSpan(length + 4);
        BinaryPrimitives.WriteInt32LittleEndian(buffer, length);
        Encoding.UTF8.GetBytes(text, buffer[4..]);
        _hash.Advance(length + 4);
    }
}
