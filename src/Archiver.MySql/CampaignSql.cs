namespace Archiver.MySql;

/// <summary>How every reader of <c>campaigns</c> selects a <see cref="Source.CampaignInfo"/>: one column list, with the database's clock.</summary>
internal static class CampaignSql
{
    /// <summary>The select list of a <see cref="Source.CampaignInfo"/> from <c>campaigns</c>, its columns qualified by <paramref name="alias"/> when given.</summary>
    public static string Columns(string? alias = null)
    {
        var p = alias is null ? "" : alias + ".";
        return $"{p}id AS Id, {p}name AS Name, {p}kind AS Kind, {p}starts_at AS StartsAt, {p}ends_at AS EndsAt, {p}archived AS Archived, {p}archived_at AS ArchivedAt, UTC_TIMESTAMP(3) AS DatabaseNow";
    }
}
