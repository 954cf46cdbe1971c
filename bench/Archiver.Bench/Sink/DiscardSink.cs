using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archiver.Bench.Sink;

/// <summary>
/// A local HTTP endpoint that answers the archive like CouchDB 3 without storing bodies (Kestrel on
/// a loopback port chosen by the system). It keeps <c>id → rev</c> per database so that conflicts,
/// range reads and id/revision verification behave; reading bodies back (<c>include_docs=true</c>
/// with live rows) is refused with 400 and a reason, as it has none. It measures the client side:
/// parsing is forward-only and answers are written straight into the response pipe.
/// </summary>
internal sealed class DiscardSink : IAsyncDisposable
{
    private const string RowPrefixSeparator = ":";
    private readonly ConcurrentDictionary<string, SinkDatabase> _databases = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private DiscardSink()
    {
    }

    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    public SinkStatistics Statistics { get; } = new();

    public static async Task<DiscardSink> StartAsync(CancellationToken cancellationToken = default)
    {
        var sink = new DiscardSink();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;

            // A 1,000,000-row archive posts bodies of a few MB at most, but the sink must never be the one to say no.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(sink.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        sink._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel did not report the address it listens on");
        sink.Address = new Uri(address.TrimEnd('/') + "/");
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.ContentType = "application/json";
        var segments = (request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var cancellationToken = context.RequestAborted;
        try
        {
            switch (segments.Length, request.Method)
            {
                case (0, "GET"):
                    SinkResponses.WriteWelcome(response.BodyWriter);
                    break;
                case (1, "PUT"):
                    var created = _databases.TryAdd(segments[0], new SinkDatabase(segments[0]));
                    response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status412PreconditionFailed;
                    if (created)
                    {
                        SinkResponses.WriteOk(response.BodyWriter);
                    }
                    else
                    {
                        SinkResponses.WriteError(response.BodyWriter, "file_exists", "The database could not be created, the file already exists.");
                    }

                    break;
                case (1, "DELETE"):
                    if (_databases.TryRemove(segments[0], out _))
                    {
                        SinkResponses.WriteOk(response.BodyWriter);
                    }
                    else
                    {
                        NotFound(response, "Database does not exist.");
                    }

                    break;
                case (1, "GET" or "HEAD"):
                    if (Database(segments[0], response) is { } info)
                    {
                        SinkResponses.WriteInfo(response.BodyWriter, info);
                    }

                    break;
                case (2, "POST") when segments[1] == "_bulk_docs":
                    if (Database(segments[0], response) is { } target)
                    {
                        await BulkDocsAsync(target, request, response, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case (2, "GET" or "POST") when segments[1] == "_all_docs":
                    if (Database(segments[0], response) is { } source)
                    {
                        await AllDocsAsync(source, request, response, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                default:
                    // Design documents, views, single documents: the sink has none of them.
                    NotFound(response, "missing");
                    break;
            }
        }
        catch (FormatException ex)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            SinkResponses.WriteError(response.BodyWriter, "bad_request", ex.Message);
        }

        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private SinkDatabase? Database(string name, HttpResponse response)
    {
        if (_databases.TryGetValue(name, out var database))
        {
            return database;
        }

        NotFound(response, "Database does not exist.");
        return null;
    }

    private static void NotFound(HttpResponse response, string reason)
    {
        response.StatusCode = StatusCodes.Status404NotFound;
        SinkResponses.WriteError(response.BodyWriter, "not_found", reason);
    }

    private async Task BulkDocsAsync(SinkDatabase database, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (buffer, length) = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        List<BulkDocsItem> items;
        try
        {
            items = BulkDocsReader.Read(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var results = database.Save(items);
        response.StatusCode = StatusCodes.Status201Created;
        SinkResponses.WriteBulkDocs(response.BodyWriter, results);
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        Statistics.Record(started, Stopwatch.GetTimestamp(), items.Count, items.Count(IsRowWrite));
    }

    // Row documents are "{table}:{campaign}:{key}"; rollups start with "rollup:".
    private static bool IsRowWrite(BulkDocsItem item) =>
        !item.Deleted && item.Id is { } id && !id.StartsWith("rollup" + RowPrefixSeparator, StringComparison.Ordinal);

    private static async Task AllDocsAsync(SinkDatabase database, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var query = AllDocsQuery.Parse(request.Query.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())), out var error)
            ?? throw new FormatException(error);
        AllDocsPage page;
        if (request.Method == "POST")
        {
            var (buffer, length) = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            try
            {
                page = database.Keys(ReadKeys(buffer.AsSpan(0, length)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        else
        {
            page = database.Range(query);
        }

        if (query.IncludeDocs && SinkResponses.NeedsBodies(page))
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            SinkResponses.WriteError(response.BodyWriter, "bad_request",
                "include_docs=true: the discard sink stores no document bodies, only ids and revisions; verify by id and revision instead");
            return;
        }

        SinkResponses.WriteAllDocs(response.BodyWriter, page, query.IncludeDocs);
    }

    private static List<string> ReadKeys(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the body must be {\"keys\": [...]}");
            }

            return [.. keys.EnumerateArray().Select(k => k.ValueKind == JsonValueKind.String ? k.GetString()! : throw new FormatException("keys must be document ids (strings)"))];
        }
        catch (JsonException ex)
        {
            throw new FormatException("the body is not valid JSON: " + ex.Message, ex);
        }
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and < 64 * 1024 * 1024 ? (int)request.ContentLength.Value : 256 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
