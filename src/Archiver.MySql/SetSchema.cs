using System.Text;
using Archiver.Sets;

namespace Archiver.MySql;

/// <summary>
/// The SQL of one archive set, generated from its columns: the row select (with a text-validity
/// probe), and the fingerprint. Identifiers are quoted; the validator has already limited them to
/// plain names. Derived once per set and shape (<see cref="SetSchemaCache"/>), not per run.
/// </summary>
internal sealed class SetSchema
{
    private readonly string _campaignColumn;
    private readonly string _primaryKey;
    private readonly IReadOnlyList<SourceColumn> _columns;

    public SetSchema(ArchiveSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        Table = set.Table;
        (_campaignColumn, _primaryKey, _columns) = (set.Options.CampaignColumn, set.Options.PrimaryKey, set.Columns);
        var table = Quote(set.Table);
        var campaign = Quote(set.Options.CampaignColumn);
        var key = Quote(set.Options.PrimaryKey);

        var select = new StringBuilder();
        var probes = new List<string>();
        var content = new List<string>();
        foreach (var column in set.Columns)
        {
            var name = Quote(column.Name);
            select.Append(column.Kind switch
            {
                // Read as a number so that 2 is refused, not turned into true.
                ColumnKind.Boolean => $"CAST({name} AS SIGNED)",

                // Exact digits; the driver's decimal would overflow past 28 digits.
                ColumnKind.ExactDecimal => $"CAST({name} AS CHAR)",

                // TIMESTAMP values come back in the session's time zone; seconds since the epoch do not.
                ColumnKind.DateTime when IsTimestamp(column) => $"UNIX_TIMESTAMP({name})",
                _ => name,
            }).Append(", ");

            if (column.Kind == ColumnKind.Text && !column.ColumnType.Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                // Bytes that are not valid in the column's character set reach us already replaced by
                // '?' or U+FFFD; a round trip through UTF-32 changes exactly those, so compare bytes.
                probes.Add($"IF({name} IS NULL OR CAST({name} AS BINARY) = CAST(CONVERT(CONVERT({name} USING utf32) USING {column.Charset ?? "utf8mb4"}) AS BINARY), NULL, '{column.Name.Replace("'", "''", StringComparison.Ordinal)}')");
                content.Add($"CONVERT({name} USING utf8mb4)");
            }
            else
            {
                content.Add(name);
            }

            if (column.Nullable)
            {
                content.Add($"ISNULL({name})");
            }
        }

        select.Append(probes.Count == 0 ? "NULL" : $"CONCAT_WS(',', {string.Join(", ", probes)})");
        RowsSql = $"SELECT {select} FROM {table} WHERE {campaign} = @campaignId AND {key} > @after ORDER BY {key} LIMIT @limit";
        RowsBeforeSql = $"SELECT {select} FROM {table} WHERE {campaign} = @campaignId AND {key} > @after AND {key} < @before ORDER BY {key} LIMIT @limit";
        ShardStartsSql =
            $"SELECT k FROM (SELECT {key} AS k, ROW_NUMBER() OVER (ORDER BY {key}) AS n FROM {table} WHERE {campaign} = @campaignId) numbered " +
            "WHERE MOD(n - 1, @shardRows) = 0 ORDER BY k";
        var rowCrc = $"CRC32(CONCAT_WS(CHAR(31 USING utf8mb4), {string.Join(", ", content)}))";
        FingerprintSql =
            $"SELECT COUNT(*) AS RowCount, COALESCE(SUM({key}), 0) AS KeySum, COALESCE(SUM({rowCrc}), 0) AS ContentSum " +
            $"FROM {table} WHERE {campaign} = @campaignId";

        // The purge's chunks use the fingerprint's per-row CRC32, so that a chunk's sums add up to it.
        RowCrcSql = $"SELECT {key}, {rowCrc} FROM {table} WHERE {campaign} = @campaignId AND {key} > @after AND (@before IS NULL OR {key} < @before) ORDER BY {key} LIMIT @limit";
        LockRowCrcSql = $"SELECT {key}, {rowCrc} FROM {table} WHERE {campaign} = @campaignId ORDER BY {key} LOCK IN SHARE MODE";
        LockChunkSql =
            $"SELECT COUNT(*) AS RowCount, COALESCE(SUM({key}), 0) AS KeySum, COALESCE(SUM({rowCrc}), 0) AS ContentSum " +
            $"FROM {table} WHERE {campaign} = @campaignId AND {key} BETWEEN @first AND @last FOR UPDATE";
        DeleteChunkSql = $"DELETE FROM {table} WHERE {campaign} = @campaignId AND {key} BETWEEN @first AND @last";
        CountSql = $"SELECT COUNT(*) FROM {table} WHERE {campaign} = @campaignId";
        FirstKeyAfterSql = $"SELECT MIN({key}) FROM {table} WHERE {campaign} = @campaignId AND {key} > @after";
    }

    public string Table { get; }

    /// <summary>Every column in table order, then the names of columns holding invalid text (or NULL); a keyset chunk.</summary>
    public string RowsSql { get; }

    /// <summary>As <see cref="RowsSql"/>, below the key <c>@before</c> (a shard's range that is closed above).</summary>
    public string RowsBeforeSql { get; }

    /// <summary>The key of every <c>@shardRows</c>-th row of the campaign from the first, in key order: where its shards begin.</summary>
    public string ShardStartsSql { get; }

    /// <summary>Count, key sum and CRC32 sum of the campaign's rows; append a locking clause inside a transaction.</summary>
    public string FingerprintSql { get; }

    /// <summary>Key and per-row CRC32 (as in <see cref="FingerprintSql"/>) of the campaign's rows after <c>@after</c> and before <c>@before</c> (when not null); a keyset page.</summary>
    public string RowCrcSql { get; }

    /// <summary>Key and per-row CRC32 of every row of the campaign, share-locking them (the flag transaction's read).</summary>
    public string LockRowCrcSql { get; }

    /// <summary>The fingerprint of the campaign's rows with keys in [<c>@first</c>, <c>@last</c>], locking them (inside a transaction).</summary>
    public string LockChunkSql { get; }

    /// <summary>Deletes the campaign's rows with keys in [<c>@first</c>, <c>@last</c>].</summary>
    public string DeleteChunkSql { get; }

    /// <summary>The number of the campaign's rows.</summary>
    public string CountSql { get; }

    /// <summary>The key of the row after <c>@after</c>, to name a row the driver cannot read.</summary>
    public string FirstKeyAfterSql { get; }

    /// <summary>Whether <paramref name="set"/> would get exactly this SQL: same table, key, campaign column and columns.</summary>
    public bool Matches(ArchiveSet set) =>
        string.Equals(Table, set.Table, StringComparison.Ordinal)
        && string.Equals(_campaignColumn, set.Options.CampaignColumn, StringComparison.Ordinal)
        && string.Equals(_primaryKey, set.Options.PrimaryKey, StringComparison.Ordinal)
        && (ReferenceEquals(_columns, set.Columns) || _columns.SequenceEqual(set.Columns));

    private static bool IsTimestamp(SourceColumn column) => column.ColumnType.StartsWith("timestamp", StringComparison.OrdinalIgnoreCase);

    public static string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>The JSON mapping of a MySQL column type, or null when there is none (binary, bit, time, spatial).</summary>
    public static ColumnKind? KindOf(string dataType, string columnType) => dataType.ToLowerInvariant() switch
    {
        "tinyint" when columnType.StartsWith("tinyint(1)", StringComparison.OrdinalIgnoreCase) => ColumnKind.Boolean,
        "tinyint" or "smallint" or "mediumint" or "int" or "integer" or "bigint" or "year" => ColumnKind.WholeNumber,
        "decimal" or "numeric" => ColumnKind.ExactDecimal,
        "float" or "double" or "real" => ColumnKind.FloatingPoint,
        "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" or "enum" or "set" or "json" => ColumnKind.Text,
        "datetime" or "timestamp" => ColumnKind.DateTime,
        "date" => ColumnKind.Date,
        _ => null,
    };
}
