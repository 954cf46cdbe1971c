namespace Archiver.Documents;

/// <summary>
/// A running SHA-256 over documents' content hashes in id order: one value that stands for every
/// key and every field of a campaign's documents in one set, reported by the run so that two
/// archives (or two runs) can be compared at a glance.
/// </summary>
public sealed class ArchiveChecksum : IDisposable
{
    private readonly BufferedSha256 _hash = new();

    public void Add(ContentHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        _hash.Append(hash.Bytes);
    }

    /// <summary>The first 16 hex digits of the hash so far (enough to tell two archives apart in a message).</summary>
    public string Value => Convert.ToHexStringLower(_hash.GetCurrentHash())[..16];

    public void Dispose() => _hash.Dispose();
}
