namespace Archiver.Source;

/// <summary>
/// Count and sum of primary keys of a campaign's rows: cheap to compute in MySQL from the
/// (campaign_id, id) index and in the engine from the keys it verified, so the flag can be set
/// only if the rows are still exactly the ones that were verified.
/// </summary>
public readonly record struct RowFingerprint(long Count, decimal KeySum)
{
    public static RowFingerprint Empty => default;

    public RowFingerprint Add(long key) => new(Count + 1, KeySum + key);

    public override string ToString() => $"{Count:N0} rows, key sum {KeySum}";
}
