using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>What <see cref="FaultInjectingHandler"/> does to one request.</summary>
public enum InjectedFault
{
    /// <summary>Forward the request to the real server and return its answer.</summary>
    None,

    /// <summary>Do not send the request: fail as a refused TCP connection does.</summary>
    ConnectionRefused,

    /// <summary>Do not send the request: answer 500 with a CouchDB-style error body.</summary>
    ServerError,

    /// <summary>Do not send the request: answer 503 with an HTML body (a proxy in front of CouchDB).</summary>
    ServiceUnavailable,

    /// <summary>Send the request, let the server apply it, then lose the answer (connection reset while reading it).</summary>
    DropResponse,

    /// <summary>Send the request, let the server apply it, then never deliver the answer (until the client gives up).</summary>
    StallResponse,
}

/// <summary>One request as the handler saw it.</summary>
/// <param name="Number">1-based over every request.</param>
/// <param name="BulkDocs">1-based over <c>_bulk_docs</c> requests (0 for others).</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path and query, without the leading slash.</param>
/// <param name="Fault">What was done to it.</param>
public sealed record SeenRequest(int Number, int BulkDocs, string Method, string Path, InjectedFault Fault);

/// <summary>
/// Sits between <see cref="Archiver.CouchDb.CouchDbClient"/> and the real server and breaks the
/// requests <see cref="Decide"/> picks, the way networks and servers break them.
/// </summary>
public sealed class FaultInjectingHandler : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<SeenRequest> _seen = [];
    private readonly List<HttpStatusCode> _lost = [];
    private int _requests;
    private int _bulkDocs;

    public FaultInjectingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>Chooses the fault for a request from its <see cref="SeenRequest"/> (its <c>Fault</c> is <see cref="InjectedFault.None"/> when asked).</summary>
    public Func<SeenRequest, InjectedFault> Decide { get; set; } = _ => InjectedFault.None;

    /// <summary>Every request so far, in order.</summary>
    public IReadOnlyList<SeenRequest> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    public int Injected => Seen.Count(r => r.Fault != InjectedFault.None);

    /// <summary>
    /// The statuses of the answers <see cref="InjectedFault.DropResponse"/> and
    /// <see cref="InjectedFault.StallResponse"/> kept from the client: 202 on a cluster means the
    /// write reached fewer copies than its quorum.
    /// </summary>
    public IReadOnlyList<HttpStatusCode> LostStatuses
    {
        get
        {
            lock (_gate)
            {
                return [.. _lost];
            }
        }
    }

    /// <summary>A client of the real server through this handler, as production builds it (per-request timeouts are the client's).</summary>
    public HttpClient CreateClient() => TestServers.CouchDbHttp(this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        SeenRequest seen;
        lock (_gate)
        {
            var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.PathAndQuery.TrimStart('/') : request.RequestUri.OriginalString;
            var isBulk = path.Split('?')[0].EndsWith("/_bulk_docs", StringComparison.Ordinal);
            var candidate = new SeenRequest(++_requests, isBulk ? ++_bulkDocs : 0, request.Method.Method, path, InjectedFault.None);
            seen = candidate with { Fault = Decide(candidate) };
            _seen.Add(seen);
        }

        switch (seen.Fault)
        {
            case InjectedFault.None:
                return await base.SendAsync(request, cancellationToken);
            case InjectedFault.ConnectionRefused:
                throw new HttpRequestException(
                    HttpRequestError.ConnectionError, "Connection refused (injected)", new SocketException((int)SocketError.ConnectionRefused));
            case InjectedFault.ServerError:
                return Answer(request, HttpStatusCode.InternalServerError, """{"error":"unknown_error","reason":"injected failure"}""", "application/json");
            case InjectedFault.ServiceUnavailable:
                return Answer(request, HttpStatusCode.ServiceUnavailable, "<html><body><h1>503 Service Unavailable</h1>injected</body></html>", "text/html");
            case InjectedFault.DropResponse:
                using (var response = await base.SendAsync(request, cancellationToken))
                {
                    // The server has answered, so it has applied the request; the answer never arrives.
                    await response.Content.LoadIntoBufferAsync(cancellationToken);
                    Lost(response.StatusCode);
                }

                throw new HttpRequestException(
                    HttpRequestError.ResponseEnded, "Error while copying content to a stream (injected)", new IOException("Connection reset by peer (injected)"));
            case InjectedFault.StallResponse:
                using (var response = await base.SendAsync(request, cancellationToken))
                {
                    await response.Content.LoadIntoBufferAsync(cancellationToken);
                    Lost(response.StatusCode);
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable: the delay ends only by cancellation");
            default:
                throw new InvalidOperationException($"unknown fault {seen.Fault}");
        }
    }

    private void Lost(HttpStatusCode status)
    {
        lock (_gate)
        {
            _lost.Add(status);
        }
    }

    private static HttpResponseMessage Answer(HttpRequestMessage request, HttpStatusCode status, string body, string mediaType) => new(status)
    {
        RequestMessage = request,
        Content = new StringContent(body, Encoding.UTF8, mediaType),
    };
}
