using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Archiver.Web.Pages;

/// <summary>
/// Writes pages, JSON and CSV with a strong ETag over the body: a request whose <c>If-None-Match</c>
/// names it gets a 304 without the body. What an archived campaign answers never changes, so those
/// answers may be kept (<c>Cache-Control: public, max-age</c>); anything live must be revalidated.
/// </summary>
internal static class Responses
{
    /// <summary>The API's JSON: what <c>archiver query</c> prints (snake_case, text unescaped), on one line.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static Task HtmlAsync(HttpContext context, Html.Html page, TimeSpan? maxAge) =>
        WriteAsync(context, Encoding.UTF8.GetBytes(page.Value), "text/html; charset=utf-8", maxAge);

    public static Task JsonAsync<T>(HttpContext context, T value, TimeSpan? maxAge) =>
        WriteAsync(context, JsonSerializer.SerializeToUtf8Bytes(value, Json), "application/json; charset=utf-8", maxAge);

    public static Task CsvAsync(HttpContext context, string csv, string fileName, TimeSpan? maxAge)
    {
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        return WriteAsync(context, Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", maxAge);
    }

    /// <summary><paramref name="maxAge"/>: how long the answer may be kept (an archived campaign's); null: revalidate every time.</summary>
    public static async Task WriteAsync(HttpContext context, byte[] body, string contentType, TimeSpan? maxAge)
    {
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16)) + "\"");
        var headers = context.Response.GetTypedHeaders();
        headers.ETag = etag;
        headers.CacheControl = maxAge is { } age
            ? new CacheControlHeaderValue { Public = true, MaxAge = age }
            : new CacheControlHeaderValue { NoCache = true };
        var asked = context.Request.GetTypedHeaders().IfNoneMatch;
        if (asked is { Count: > 0 } && asked.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
