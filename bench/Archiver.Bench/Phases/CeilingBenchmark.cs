using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Archiver.Documents;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Bench.Phases;

/// <summary>
/// The server's ceiling for the archive's own workload: the campaign's documents, made by the
/// archive's own code (<see cref="ArchiveSourceRows"/> and
/// <see cref="RowDocument.WriteFields"/>, same ids and fields, same JSON settings) and serialised
/// into <c>_bulk_docs</c> bodies of the archive's batch size before the clock starts, then posted
/// at the archive's concurrency into a fresh database. Nothing is read, built or serialised while
/// timed, so the rate is what the server (and the loopback) can take.
/// </summary>
internal static class CeilingBenchmark
{
    public static async Task<List<byte[]>> SerializeAsync(
        IArchiveSource source, ArchiveSet set, long campaignId, int batchSize, long expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var progress = BenchConsole.Progress("serialising (untimed)", "documents");
        var bodies = new List<byte[]>();
        var batch = new List<RowDocument>(batchSize);
        long done = 0;
        await foreach (var document in source.StreamRowsAsync(set, campaignId, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(document);
            if (batch.Count == batchSize)
            {
                bodies.Add(Serialize(batch));
                done += batch.Count;
                batch.Clear();
                progress(done, expected, false);
            }
        }

        if (batch.Count > 0)
        {
            bodies.Add(Serialize(batch));
            done += batch.Count;
        }

        progress(done, expected, true);
        return bodies;
    }

    /// <summary>A body exactly as the archive's <c>BulkDocsContent</c> writes it for new documents: <c>_id</c>, then the row's fields.</summary>
    public static byte[] Serialize(IReadOnlyList<RowDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var buffer = new ArrayBufferWriter<byte>(documents.Count * 320);
        using (var writer = new Utf8JsonWriter(buffer, ArchiveJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("docs");
            foreach (var document in documents)
            {
                writer.WriteStartObject();
                writer.WriteString("_id", document.Id);
                document.WriteFields(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static async Task<CeilingResult> PostAsync(
        HttpClient http, string database, IReadOnlyList<byte[]> bodies, long documents, int concurrency, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(bodies);
        var path = Uri.EscapeDataString(database) + "/_bulk_docs";
        var progress = BenchConsole.Progress("posting", "bodies");
        long errors = 0, posted = 0;
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (body, ct) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await http.PostAsync(path, content, ct).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new HttpRequestException($"POST /{path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 300)))}");
            }

            Interlocked.Add(ref errors, CountErrors(answer));
            progress(Interlocked.Increment(ref posted), bodies.Count, false);
        }).ConfigureAwait(false);
        stopwatch.Stop();
        progress(posted, bodies.Count, true);
        return new CeilingResult(documents, bodies.Count, bodies.Sum(b => (long)b.Length), concurrency, stopwatch.Elapsed, errors);
    }

    private static int CountErrors(ReadOnlySpan<byte> answer)
    {
        var count = 0;
        for (var at = answer.IndexOf("\"error\""u8); at >= 0; at = answer.IndexOf("\"error\""u8))
        {
            count++;
            answer = answer[(at + 7)..];
        }

        return count;
    }
}
