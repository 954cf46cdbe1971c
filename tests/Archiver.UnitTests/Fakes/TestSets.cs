using Archiver.Documents;
using Archiver.Sets;

namespace Archiver.UnitTests.Fakes;

/// <summary>The shipped archive sets (as in appsettings.json) over the pinned schema's columns, for tests without MySQL.</summary>
public static class TestSets
{
    public static readonly IReadOnlyList<SourceColumn> EntryColumns =
    [
        new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
        new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
        new("user_id", ColumnKind.WholeNumber, true, "bigint(20)"),
        new("entry_number", ColumnKind.WholeNumber, false, "int(11)"),
        new("winner", ColumnKind.Boolean, false, "tinyint(1)"),
        new("message", ColumnKind.Text, true, "varchar(480)", "utf8mb4"),
        new("created_at", ColumnKind.DateTime, false, "datetime(3)"),
    ];

    public static readonly IReadOnlyList<SourceColumn> VoteColumns =
    [
        new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
        new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
        new("user_id", ColumnKind.WholeNumber, true, "bigint(20)"),
        new("choice", ColumnKind.Text, false, "varchar(64)", "utf8mb4"),
        new("created_at", ColumnKind.DateTime, false, "datetime(3)"),
    ];

    public static ArchiveSetOptions EntryOptions(string database = "contest_campaign_entries_archive")
    {
        var options = new ArchiveSetOptions { Table = "contest_campaign_entries", Type = "contest_campaign_entry", Database = database };
        options.Measures.Add(new MeasureOptions { Name = "count", Kind = "Count" });
        options.Measures.Add(new MeasureOptions { Name = "winners", Kind = "Sum", Column = "winner" });
        return options;
    }

    public static ArchiveSetOptions VoteOptions(string database = "vote_campaign_votes_archive")
    {
        var options = new ArchiveSetOptions { Table = "vote_campaign_votes", Type = "vote_campaign_vote", Database = database };
        options.Measures.Add(new MeasureOptions { Name = "count", Kind = "Count" });
        options.Measures.Add(new MeasureOptions { Name = "choices", Kind = "CountBy", Column = "choice" });
        return options;
    }

    public static ArchiveSet Entries { get; } = new(EntryOptions(), EntryColumns);

    public static ArchiveSet Votes { get; } = new(VoteOptions(), VoteColumns);

    /// <summary>A contest entry as the engine would read it.</summary>
    public static RowDocument Entry(long id, long campaignId = 1, long? userId = null, long entryNumber = 1, bool winner = false, string? message = "hello", DateTime? createdAt = null) =>
        RowDocument.Create(Entries, [id, campaignId, userId, entryNumber, winner ? 1L : 0L, message, createdAt ?? new DateTime(2026, 11, 20, 10, 0, 0)], 8_000_000);
}
