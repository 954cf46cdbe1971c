namespace Archiver.Entries;

/// <summary>Names fixed by the document contract for contest entries.</summary>
public static class ContestEntries
{
    public const string Table = "contest_campaign_entries";

    public const string DocumentType = "contest_campaign_entry";

    public const string DefaultDatabase = "contest_campaign_entries_archive";
}
