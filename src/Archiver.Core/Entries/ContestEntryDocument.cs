using System.Text.Json;
using Archiver.Documents;

namespace Archiver.Entries;

/// <summary>
/// The pinned document contract for a contest entry: <c>type</c>, <c>id</c>, <c>campaign_id</c>,
/// <c>user_id</c> (number or null), <c>entry_number</c>, <c>winner</c> (boolean), <c>message</c>
/// (string or null), <c>created_at</c> (ISO-8601 UTC with milliseconds).
/// </summary>
public sealed class ContestEntryDocument : IArchiveDocument
{
    private readonly ContestEntryRow _row;

    public ContestEntryDocument(ContestEntryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);

        // MySqlConnector turns a zero DATETIME into DateTime.MinValue (ConvertZeroDateTime); it has no
        // ISO-8601 form, and archiving it as year 1 would silently change the data.
        if (row.CreatedAt == DateTime.MinValue)
        {
            throw new InvalidRowException(ContestEntries.Table, row.Id, "created_at", "holds the zero date 0000-00-00, which has no ISO-8601 form");
        }

        JsonSafeInteger.Check(ContestEntries.Table, row.Id, "id", row.Id);
        JsonSafeInteger.Check(ContestEntries.Table, row.Id, "campaign_id", row.CampaignId);
        if (row.UserId is { } userId)
        {
            JsonSafeInteger.Check(ContestEntries.Table, row.Id, "user_id", userId);
        }

        _row = row;
        Id = DocumentIds.ForRow(ContestEntries.Table, row.Id);
    }

    public string Id { get; }

    public string SourceTable => ContestEntries.Table;

    public long SourceKey => _row.Id;

    public long CampaignId => _row.CampaignId;

    public void WriteFields(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("type", ContestEntries.DocumentType);
        writer.WriteNumber("id", _row.Id);
        writer.WriteNumber("campaign_id", _row.CampaignId);
        if (_row.UserId is { } userId)
        {
            writer.WriteNumber("user_id", userId);
        }
        else
        {
            writer.WriteNull("user_id");
        }

        writer.WriteNumber("entry_number", _row.EntryNumber);
        writer.WriteBoolean("winner", _row.Winner);
        writer.WriteString("message", _row.Message);
        UtcTimestamp.Write(writer, "created_at", _row.CreatedAt);
    }
}
