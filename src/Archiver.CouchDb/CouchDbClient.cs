using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Archiver.CouchDb.Internal;
using Archiver.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace Archiver.CouchDb;

/// <summary>
/// A typed client for the CouchDB 3 HTTP API (and pouchdb-server, see docs/couchdb-compat.md).
/// The <see cref="HttpClient"/> comes from the HTTP client factory with its base address and
/// credentials set; every request runs through the endpoint's resilience pipeline
/// (<see cref="CouchDbResilience"/>: retry, circuit breaker, per-attempt timeout of
/// <see cref="CouchDbOptions.Timeout"/>). Every failure surfaces as <see cref="CouchDbException"/>,
/// or as <see cref="ServiceUnavailableException"/> while the endpoint's circuit is open.
/// </summary>
/// <remarks><paramref name="pipelineName"/> picks another pipeline than the endpoint's own (a replica read's, without retries).</remarks>
public sealed partial class CouchDbClient(
    HttpClient http, ILogger<CouchDbClient>? logger = null, IOptions<CouchDbOptions>? options = null, ResiliencePipelineProvider<string>? pipelines = null,
    string? pipelineName = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<CouchDbClient>.Instance;
    private readonly CouchDbOptions _options = options?.Value ?? new CouchDbOptions();

    // No provider (a test, a one-off tool): a pipeline that only applies the per-attempt timeout.
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = pipelines is null || http.BaseAddress is null
        ? new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(new TimeoutStrategyOptions { TimeoutGenerator = CouchDbResilience.AttemptTimeout }).Build()
        : pipelines.GetPipeline<HttpResponseMessage>(pipelineName ?? PipelineNames.CouchDb(http.BaseAddress));

    /// <summary>The name of the HTTP client factory's client for CouchDB.</summary>
    public const string HttpClientName = "couchdb";

    /// <inheritdoc />
    public long MaxDocumentBytes => _options.MaxDocumentBytes;

    /// <summary>The server's welcome document.</summary>
    public async Task<CouchServerInfo> GetServerInfoAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendForJsonAsync(HttpMethod.Get, "", null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var product = root.TryGetProperty("couchdb", out _) ? "couchdb" : root.TryGetProperty("express-pouchdb", out _) ? "express-pouchdb" : "unknown";
        var version = root.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
        var vendor = root.TryGetProperty("vendor", out var vendorElement) && vendorElement.TryGetProperty("name", out var vendorName) ? vendorName.GetString() : null;
        return new CouchServerInfo(product, version, vendor);
    }

    private static string DatabasePath(string database) => Uri.EscapeDataString(database);

    /// <summary>A small JSON value (a request body or a view key) written with <paramref name="write"/>.</summary>
    private static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Sends a request through the endpoint's pipeline, which retries what
    /// <see cref="CouchDbResilience.IsTransient"/> calls transient. Every request Archiver sends may be
    /// repeated safely: a repeated create answers a conflict, which the engine resolves by comparing.
    /// The body comes from a factory because a sent <see cref="HttpContent"/> cannot be sent again.
    /// </summary>
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, _options.Timeout, cancellationToken);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, timeout, null, cancellationToken);

    /// <summary>As above, with <paramref name="configure"/> adding headers (COPY's <c>Destination</c>) to every attempt.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, Func<HttpContent>? content, TimeSpan timeout, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PipelineProperties.Operation, $"{method.Method} {path}");
        context.Properties.Set(PipelineProperties.AttemptTimeout, timeout);
        try
        {
            return await _pipeline.ExecuteAsync(
                (attempt, state) => new ValueTask<HttpResponseMessage>(state.Client.SendOnceAsync(
                    state.Method, state.Path, state.Content?.Invoke(), Timeout.InfiniteTimeSpan, state.Configure, attempt.CancellationToken)),
                context,
                (Client: this, Method: method, Path: path, Content: content, Configure: configure)).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new CouchDbException(method.Method, "/" + path, null, "timeout", $"no answer within {timeout.TotalSeconds:F0} s", ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new ServiceUnavailableException("CouchDB", http.BaseAddress?.GetLeftPart(UriPartial.Path) ?? "(no address)", ex.RetryAfter, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt; <paramref name="timeout"/> is its own deadline (infinite when the pipeline applies it).</summary>
    private async Task<HttpResponseMessage> SendOnceAsync(
        HttpMethod method, string path, HttpContent? content, TimeSpan timeout, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        configure?.Invoke(request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            // ResponseContentRead: the body is read within the deadline too, so a server that
            // stalls halfway through an answer cannot hang the run.
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // Refused, reset, or an answer cut off halfway: ResponseContentRead reads the body here.
            throw new CouchDbException(method.Method, "/" + path, null, "unreachable", $"no complete answer from {http.BaseAddress}: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CouchDbException(method.Method, "/" + path, null, "timeout", $"no answer within {timeout.TotalSeconds:F0} s", ex);
        }

        Log.Request(_logger, method.Method, path, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return response;
    }

    private async Task<JsonDocument> SendForJsonAsync(
        HttpMethod method, string path, Func<HttpContent>? content, HttpStatusCode[] expected, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        if (!expected.Contains(response.StatusCode))
        {
            throw await ErrorAsync(method, path, response, cancellationToken).ConfigureAwait(false);
        }

        return await ReadJsonAsync(method, path, response, static (stream, ct) => JsonDocument.ParseAsync(stream, default, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET a JSON answer; null when the server answers 404 (no such database, document or view).</summary>
    private async Task<JsonDocument?> GetJsonOrNullAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await ErrorAsync(HttpMethod.Get, path, response, cancellationToken).ConfigureAwait(false);
        }

        return await ReadJsonAsync(HttpMethod.Get, path, response, static (stream, ct) => JsonDocument.ParseAsync(stream, default, ct), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadJsonAsync<T>(
        HttpMethod method, string path, HttpResponseMessage response, Func<Stream, CancellationToken, Task<T>> parse, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await parse(stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            throw new CouchDbProtocolException($"{method.Method} /{path}", $"the answer is not the expected JSON ({ex.Message})", ex);
        }
    }

    /// <summary>Turns an error answer into an exception: CouchDB's JSON <c>error</c>/<c>reason</c> when present, else the start of the body (pouchdb-server can answer HTML).</summary>
    private static async Task<CouchDbException> ErrorAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Already buffered by SendOnceAsync, so this cannot fail on the wire.
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

        string error = $"http_{(int)response.StatusCode}";
        string? reason = null;
        try
        {
            if (JsonSerializer.Deserialize(body, CouchJsonContext.Default.ErrorBody) is { Error: { } e } parsed)
            {
                error = e;
                reason = parsed.Reason;
            }
        }
        catch (JsonException)
        {
            reason = Shorten(body);
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            reason = (string.IsNullOrWhiteSpace(reason) ? "" : reason.TrimEnd('.') + "; ") + CouchDbPermissions.Hint(method, path, response.StatusCode);
        }

        return new CouchDbException(method.Method, "/" + path, response.StatusCode, error, reason);
    }

    private static string Shorten(string text)
    {
        var builder = new StringBuilder();
        var inTag = false;
        foreach (var c in text)
        {
            if (c == '<')
            {
                inTag = true;
            }
            else if (c == '>')
            {
                inTag = false;
                builder.Append(' ');
            }
            else if (!inTag)
            {
                builder.Append(char.IsWhiteSpace(c) ? ' ' : c);
            }
        }

        var plain = string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return plain.Length <= 200 ? plain : plain[..200] + "…";
    }
}
