using Archiver.Documents;

namespace Archiver.Engine;

/// <summary>
/// One step of a <see cref="DocumentRangeJoin"/>: an expected item with its document, one without
/// (<see cref="Document"/> null), or a document nothing expected (<see cref="Expected"/> null).
/// </summary>
/// <param name="Expected">What the archive must hold at this id (a row, a rollup, an id).</param>
/// <param name="Document">The live document at this id.</param>
internal readonly record struct DocumentPair<T>(T? Expected, StoredDocument? Document)
    where T : class
{
    /// <summary>
    /// The range did not list the document and a read by id (a quorum read on a cluster) found it: a
    /// later range read may leave it out again, so whoever reads the range again must look it up too.
    /// </summary>
    public bool ReadById { get; init; }
}
