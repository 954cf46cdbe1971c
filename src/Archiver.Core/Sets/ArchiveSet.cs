using System.Text.Json;

namespace Archiver.Sets;

/// <summary>
/// An archive set checked against its table as MySQL describes it: every column has a JSON
/// mapping, and the key, campaign, timestamp and measure columns exist with usable types.
/// Built once per run, before anything is written, so that a configuration mistake stops the run
/// at start with the table and column named.
/// </summary>
public sealed class ArchiveSet
{
    public ArchiveSet(ArchiveSetOptions options, IReadOnlyList<SourceColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(columns);
        Options = options;
        Columns = columns;
        foreach (var column in columns)
        {
            if (column.Name.StartsWith('_') || string.Equals(column.Name, "type", StringComparison.OrdinalIgnoreCase))
            {
                // Every document has a "type" field of its own, and CouchDB reserves top-level names starting with "_".
                throw Error($"column {column.Name} would clash with {(column.Name.StartsWith('_') ? "CouchDB's reserved _ fields" : "the documents' type field")}; rename it or archive a view of the table");
            }
        }

        KeyIndex = Require(options.PrimaryKey, "Archive:Sets PrimaryKey", ColumnKind.WholeNumber);
        CampaignIndex = Require(options.CampaignColumn, "Archive:Sets CampaignColumn", ColumnKind.WholeNumber);
        TimestampIndex = Require(options.TimestampColumn, "Archive:Sets TimestampColumn", ColumnKind.DateTime);
        if (columns[KeyIndex].Nullable)
        {
            throw Error($"primary key column {options.PrimaryKey} is nullable");
        }

        Measures = options.Measures.Select(m => m.ParsedKind switch
        {
            MeasureKind.Count => new RollupMeasure(m.Name, MeasureKind.Count, -1),
            MeasureKind.Sum => new RollupMeasure(m.Name, MeasureKind.Sum, Require(m.Column!, $"measure {m.Name}", ColumnKind.WholeNumber, ColumnKind.Boolean)),
            MeasureKind.CountBy => new RollupMeasure(m.Name, MeasureKind.CountBy, Require(m.Column!, $"measure {m.Name}", ColumnKind.Text, ColumnKind.WholeNumber, ColumnKind.Boolean)),
            _ => throw Error($"measure {m.Name} has Kind '{m.Kind}'; it must be Count, Sum or CountBy"),
        }).ToList();

        CanonicalOrder = columns.Select((c, i) => (c.Name, Index: i)).Append((Name: "type", Index: -1))
            .OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.Index).ToArray();
        var encoder = Documents.ArchiveJson.WriterOptions.Encoder;
        FieldNames = columns.Select(c => JsonEncodedText.Encode(c.Name, encoder)).ToArray();
        TypeFieldValue = JsonEncodedText.Encode(options.Type, encoder);
    }

    public ArchiveSetOptions Options { get; }

    public string Table => Options.Table;

    public string Type => Options.Type;

    public string Database => Options.Database;

    /// <summary>Where the set's rollups are written and read (<see cref="ArchiveSetOptions.EffectiveRollupDatabase"/>).</summary>
    public string RollupDatabase => Options.EffectiveRollupDatabase;

    /// <summary>Every column of the table in table order; each becomes a document field of the same name.</summary>
    public IReadOnlyList<SourceColumn> Columns { get; }

    public int KeyIndex { get; }

    public int CampaignIndex { get; }

    public int TimestampIndex { get; }

    public IReadOnlyList<RollupMeasure> Measures { get; }

    /// <summary>
    /// The documents' fields sorted by name, as column indexes (-1 for <c>type</c>): the order of the
    /// canonical form that content hashes are taken over, computed once per set instead of per row.
    /// </summary>
    internal IReadOnlyList<int> CanonicalOrder { get; }

    /// <summary>
    /// The columns' names as the documents' writer escapes them, encoded once per set: written by
    /// name, every field of every row would be escaped and transcoded to UTF-8 again, twice per row
    /// (body and canonical form). The bytes are the same.
    /// </summary>
    internal IReadOnlyList<JsonEncodedText> FieldNames { get; }

    /// <summary>The value of every document's <c>type</c> field (<see cref="Type"/>), encoded once per set.</summary>
    internal JsonEncodedText TypeFieldValue { get; }

    /// <summary>The name of the documents' <c>type</c> field, encoded once.</summary>
    internal static JsonEncodedText TypeFieldName { get; } = JsonEncodedText.Encode("type", Documents.ArchiveJson.WriterOptions.Encoder);

    public override string ToString() => Table;

    private int Require(string name, string role, params ColumnKind[] kinds)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (!string.Equals(Columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!kinds.Contains(Columns[i].Kind))
            {
                throw Error($"{role} column {Columns[i].Name} is {Columns[i].ColumnType}; it must be {string.Join(" or ", kinds.Select(k => k.ToString().ToLowerInvariant()))}");
            }

            return i;
        }

        throw Error($"{role} column {name} does not exist (columns: {string.Join(", ", Columns.Select(c => c.Name))})");
    }

    private ArchiverConfigurationException Error(string problem) => new($"archive set {Options.Table}: {problem}");
}
