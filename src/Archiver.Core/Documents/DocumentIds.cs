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
}
