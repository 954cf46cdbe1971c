using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Archiver.Documents;

namespace Archiver.CouchDb.Internal;

/// <summary>
/// A <c>_bulk_docs</c> body written straight into the request stream: no serialised copy of the
/// batch is held in memory, whatever its size.
/// </summary>
internal sealed class BulkDocsContent : HttpContent
{
    // Flush to the network in chunks of about this size rather than per document.
    private const int FlushThreshold = 64 * 1024;
    private readonly IReadOnlyList<DocumentWrite> _writes;

    public BulkDocsContent(IReadOnlyList<DocumentWrite> writes)
    {
        _writes = writes;
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    /// <summary>Bytes of the body written to the request stream (0 until it is sent).</summary>
    public long BytesWritten { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream, ArchiveJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("docs");
        foreach (var write in _writes)
        {
            writer.WriteStartObject();
            writer.WriteString("_id", write.Document.Id);
            if (write.Rev is not null)
            {
                writer.WriteString("_rev", write.Rev);
            }

            write.Document.WriteFields(writer);
            writer.WriteEndObject();
            if (writer.BytesPending > FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        BytesWritten = writer.BytesCommitted;
    }

    protected override bool TryComputeLength(out long length)
    {
        // Unknown up front: the body goes out with chunked transfer encoding.
        length = 0;
        return false;
    }
}
