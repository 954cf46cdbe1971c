using System.Buffers;
using System.Text.Json;
using Archiver.Documents;

namespace Archiver.Bench.Sink;

/// <summary>The JSON the discard sink answers with, written as CouchDB 3 writes it (members the archive reads, in CouchDB's order).</summary>
internal static class SinkResponses
{
    public static void WriteWelcome(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("couchdb", "Welcome");
        writer.WriteString("version", "3.3.3");
        writer.WriteString("vendor_name", "Archiver bench discard sink");
        writer.WriteEndObject();
    }

    public static void WriteOk(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteBoolean("ok", true);
        writer.WriteEndObject();
    }

    public static void WriteError(IBufferWriter<byte> output, string error, string reason)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteString("reason", reason);
        writer.WriteEndObject();
    }

    public static void WriteInfo(IBufferWriter<byte> output, SinkDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var (docCount, deletedCount, updateSeq) = database.Info;
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("db_name", database.Name);
        writer.WriteNumber("doc_count", docCount);
        writer.WriteNumber("doc_del_count", deletedCount);
        writer.WriteString("update_seq", updateSeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("instance_start_time", "0");
        writer.WriteEndObject();
    }

    public static void WriteBulkDocs(IBufferWriter<byte> output, IReadOnlyList<BulkDocsResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var writer = new Utf8JsonWriter(output, ArchiveJson.WriterOptions);
        writer.WriteStartArray();
        foreach (var result in results)
        {
            writer.WriteStartObject();
            if (result.Error is null)
            {
                writer.WriteBoolean("ok", true);
                writer.WriteString("id", result.Id);
                writer.WriteString("rev", result.Rev);
            }
            else
            {
                writer.WriteString("id", result.Id);
                writer.WriteString("error", result.Error);
                writer.WriteString("reason", result.Reason);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// An <c>_all_docs</c> answer. With <paramref name="includeDocs"/> only rows without a body can be
    /// written (deleted and missing keys, whose <c>doc</c> is null in CouchDB too); the caller refuses
    /// the request before that when a live document would need its body.
    /// </summary>
    public static void WriteAllDocs(IBufferWriter<byte> output, AllDocsPage page, bool includeDocs)
    {
        ArgumentNullException.ThrowIfNull(page);
        using var writer = new Utf8JsonWriter(output, ArchiveJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteNumber("total_rows", page.TotalRows);
        writer.WriteNumber("offset", page.Offset);
        writer.WriteStartArray("rows");
        foreach (var row in page.Rows)
        {
            writer.WriteStartObject();
            if (row.NotFound)
            {
                writer.WriteString("key", row.Key);
                writer.WriteString("error", "not_found");
            }
            else
            {
                writer.WriteString("id", row.Key);
                writer.WriteString("key", row.Key);
                writer.WriteStartObject("value");
                writer.WriteString("rev", row.Rev);
                if (row.Deleted)
                {
                    writer.WriteBoolean("deleted", true);
                }

                writer.WriteEndObject();
                if (includeDocs)
                {
                    writer.WriteNull("doc");
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>True when an <c>include_docs=true</c> answer would need a body the sink never kept.</summary>
    public static bool NeedsBodies(AllDocsPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Rows.Any(row => !row.NotFound && !row.Deleted);
    }
}
