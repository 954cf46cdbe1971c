using Archiver.Sets;

namespace Archiver.Source;

/// <summary>A set whose archive was verified for a campaign while its rows had <see cref="Fingerprint"/>; <see cref="Checksum"/> sums up its keys and contents.</summary>
public sealed record VerifiedSet(ArchiveSet Set, SetFingerprint Fingerprint, string Checksum);
