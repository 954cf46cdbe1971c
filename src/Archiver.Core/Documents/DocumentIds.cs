using System.Globalization;

namespace Archiver.Documents;

/// <summary>
/// Stable document ids. Numbers are zero-padded to 19 digits (the width of a positive BIGINT), so
/// that <c>_all_docs</c>, which sorts ids as strings, lists them in numeric order; negative keys
/// and campaigns are refused for that reason.
/// </summary>
public static class DocumentIds
{
    /// <summary>
    /// <c>{table}:{campaign}:{key}</c>. The campaign is part of the id so that one <c>_all_docs</c>
    /// key range holds exactly a campaign's documents, in primary-key order: verification reads it
    /// beside the rows instead of waiting for a view index. Nothing that can change makes a second
    /// id for the same row except its campaign, and a row that moves campaign leaves a document
    /// in its old range that verification of that campaign removes.
    /// </summary>
    public static string ForRow(string table, long campaignId, long key) =>
        string.Create(CultureInfo.InvariantCulture, $"{table}:{campaignId:D19}:{key:D19}");

    /// <summary>The <c>_all_docs</c> range (start inclusive, end exclusive) of a campaign's row documents.</summary>
    public static (string Start, string End) RowRange(string table, long campaignId) =>
        (string.Create(CultureInfo.InvariantCulture, $"{table}:{campaignId:D19}:"), string.Create(CultureInfo.InvariantCulture, $"{table}:{campaignId:D19};"));

    /// <summary><c>rollup:{set}:{campaign}:{minute}</c>, the minute as in the rollup's <c>minute</c> field.</summary>
    public static string ForRollup(string table, long campaignId, DateTime minute) =>
        string.Create(CultureInfo.InvariantCulture, $"rollup:{table}:{campaignId:D19}:{RollupMinute(minute)}");

    /// <summary>The <c>_all_docs</c> range (start inclusive, end exclusive) of a campaign's rollups in one set.</summary>
    public static (string Start, string End) RollupRange(string table, long campaignId) =>
        (string.Create(CultureInfo.InvariantCulture, $"rollup:{table}:{campaignId:D19}:"), string.Create(CultureInfo.InvariantCulture, $"rollup:{table}:{campaignId:D19};"));

    /// <summary>The pinned minute format, <c>2026-11-20T14:05Z</c>.</summary>
    public static string RollupMinute(DateTime minute) =>
        minute.ToString("yyyy'-'MM'-'dd'T'HH':'mm'Z'", CultureInfo.InvariantCulture);
}
