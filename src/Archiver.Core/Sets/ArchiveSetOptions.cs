namespace Archiver.Sets;

/// <summary>
/// One entry of <c>Archive:Sets</c>: a MySQL table whose rows are archived per campaign, and how.
/// Adding a table to the archive is a matter of adding one of these.
/// </summary>
public sealed class ArchiveSetOptions
{
    /// <summary>The MySQL table, also the set's name (rollups carry it as <c>set</c>).</summary>
    public string Table { get; set; } = "";

    /// <summary>An integer primary key: it orders the rows and makes the document id.</summary>
    public string PrimaryKey { get; set; } = "id";

    /// <summary>The integer column naming the row's campaign (<c>campaigns.id</c>).</summary>
    public string CampaignColumn { get; set; } = "campaign_id";

    /// <summary>The DATETIME column whose minute a row is rolled up under.</summary>
    public string TimestampColumn { get; set; } = "created_at";

    /// <summary>The documents' <c>type</c> field.</summary>
    public string Type { get; set; } = "";

    /// <summary>The CouchDB database that receives the row documents (and the entry views).</summary>
    public string Database { get; set; } = "";

    /// <summary>
    /// The CouchDB database of the set's per-minute rollups and the statistics views over them; empty
    /// for <c>&lt;Database&gt;_rollups</c>. A database of their own means a statistics view build reads
    /// rollups only, never the (far more numerous) row documents. Set it equal to <c>Database</c> to
    /// keep an archive written before rollups moved (docs/couchdb-compat.md, "Rollups database").
    /// </summary>
    public string? RollupDatabase { get; set; }

    /// <summary>The rollup database in effect: <see cref="RollupDatabase"/>, or <c>&lt;Database&gt;_rollups</c>.</summary>
    public string EffectiveRollupDatabase => string.IsNullOrEmpty(RollupDatabase) ? Database + "_rollups" : RollupDatabase;

    /// <summary>What each per-minute rollup document counts; exactly one measure of kind <see cref="MeasureKind.Count"/> named <c>count</c> is required.</summary>
    public IList<MeasureOptions> Measures { get; } = [];

    public override string ToString() => Table;
}
