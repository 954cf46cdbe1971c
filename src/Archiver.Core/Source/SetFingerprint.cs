namespace Archiver.Source;

/// <summary>
/// What MySQL says of a campaign's rows in one set, computed in SQL: how many, the sum of their keys,
/// and a sum of CRC32s of every row's columns. Taken before the rows are read for verification and
/// again inside the flag transaction: equal fingerprints mean no row was added, removed or changed
/// in between, so what was verified is what gets flagged.
/// </summary>
public readonly record struct SetFingerprint(long Count, decimal KeySum, decimal ContentSum)
{
    public override string ToString() => $"{Count:N0} rows, key sum {KeySum}, content sum {ContentSum}";
}
