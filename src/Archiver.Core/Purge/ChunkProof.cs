namespace Archiver.Purge;

/// <summary>What proved a chunk's rows archived before they are deleted (<see cref="ChunkVerifier"/>).</summary>
internal enum ChunkProof
{
    /// <summary>The flag's fingerprint of the rows and digest of the documents' ids and revisions, both unchanged.</summary>
    Revisions,

    /// <summary>Every remaining row compared with its document's body.</summary>
    Contents,

    /// <summary>No row left (an earlier purge deleted them), and the documents are as the flag recorded them.</summary>
    Purged,

    /// <summary>
    /// Rows are gone from MySQL and the documents are not as the flag recorded them: the documents of those
    /// rows may be their only copy, which only the purge journal's whole-set record can prove.
    /// </summary>
    Unproved,
}
