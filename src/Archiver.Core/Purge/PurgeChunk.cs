using Archiver.Source;

namespace Archiver.Purge;

/// <summary>
/// One delete batch: the campaign's rows with keys in [<see cref="FirstKey"/>, <see cref="LastKey"/>] as
/// verified, summed up by a <see cref="SetFingerprint"/> (count, key sum, sum of the per-row CRC32 the
/// set's MySQL fingerprint uses). The delete transaction locks that key range and deletes it only
/// when the locked rows have exactly this fingerprint.
/// </summary>
public readonly record struct PurgeChunk(long FirstKey, long LastKey, SetFingerprint Fingerprint)
{
    public override string ToString() => $"keys {FirstKey}..{LastKey} ({Fingerprint})";
}
