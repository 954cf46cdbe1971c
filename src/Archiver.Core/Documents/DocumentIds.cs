using System.Globalization;

namespace Archiver.Documents;

/// <summary>Stable document ids.</summary>
public static class DocumentIds
{
    /// <summary>
    /// <c>{table}:{key}</c> with the key zero-padded to 19 digits (the width of a positive BIGINT), so
    /// that <c>_all_docs</c>, which sorts ids as strings, lists a table's documents in primary-key
    /// order. Nothing else goes into the id: a re-run can never create a second copy of a row.
    /// </summary>
    public static string ForRow(string table, long key) =>
        string.Create(CultureInfo.InvariantCulture, $"{table}:{key:D19}");

    /// <summary>The key of an id made by <see cref="ForRow"/> for <paramref name="table"/>; false for any other id.</summary>
    public static bool TryParseKey(string table, string id, out long key)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(id);
        key = 0;
        return id.Length > table.Length + 1
            && id.StartsWith(table, StringComparison.Ordinal)
            && id[table.Length] == ':'
            && long.TryParse(id.AsSpan(table.Length + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out key)
            && string.Equals(ForRow(table, key), id, StringComparison.Ordinal);
    }
}
