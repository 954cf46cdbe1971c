namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>One request to the real server and the size of its answer.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path and query, without the leading slash, unescaped.</param>
/// <param name="ResponseBytes">Bytes of the answer's body.</param>
/// <param name="RequestBytes">Bytes of the request's body (0 without one).</param>
public sealed record CountedRequest(string Method, string Path, long ResponseBytes, long RequestBytes = 0);

/// <summary>
/// Forwards every request to the real server and records it with the sizes of its body and its
/// answer's, to pin what a read costs on the wire and what a write sends (a request body is
/// buffered to be measured, so it goes out with a length rather than chunked).
/// </summary>
public sealed class CountingHandler : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<CountedRequest> _seen = [];

    public CountingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    public IReadOnlyList<CountedRequest> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _seen.Clear();
        }
    }

    public HttpClient CreateClient() => TestServers.CouchDbHttp(this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long sent = 0;
        if (request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
            sent = (await content.ReadAsByteArrayAsync(cancellationToken)).LongLength;
        }

        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var bytes = (await response.Content.ReadAsByteArrayAsync(cancellationToken)).LongLength;
        var uri = request.RequestUri!;
        var path = Uri.UnescapeDataString(uri.IsAbsoluteUri ? uri.PathAndQuery.TrimStart('/') : uri.OriginalString);
        lock (_gate)
        {
            _seen.Add(new CountedRequest(request.Method.Method, path, bytes, sent));
        }

        return response;
    }
}
