
namespace Archiver.Web.Security;

/// <summary>
/// Headers on every answer: a Content-Security-Policy that allows only this origin's stylesheet
/// and images and no script at all on our pages (the Hangfire Dashboard gets its own scripts,
/// still no inline script), no framing, no MIME sniffing, no referrer to other sites.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Pages =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    // The dashboard's own bundle sets element styles from script (its graphs and tooltips), so it keeps
    // inline style attributes; its scripts come only from this origin.
    private const string Dashboard =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/hangfire", StringComparison.Ordinal) ? Dashboard : Pages;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        return next(context);
    }
}
