using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Dashboard;

/// <summary>
/// Who may open <c>/hangfire</c>: a request from this machine (loopback, or the server's own
/// address) that no proxy relayed; otherwise one with <c>Web:Dashboard</c>'s credentials (HTTP Basic) or one that the
/// policy named by <c>Web:Dashboard:Policy</c> authorizes. Nothing configured: local only.
/// </summary>
internal sealed class DashboardAccess(IOptions<WebOptions> options, ILogger<DashboardAccess> logger) : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var connection = http.Connection;
        if (IsLocal(http))
        {
            return true;
        }

        var dashboard = options.Value.Dashboard;
        if (!string.IsNullOrEmpty(dashboard.Username) && Credentials(http.Request) is var (user, password))
        {
            if (Same(user, dashboard.Username) & Same(password, dashboard.Password!))
            {
                return true;
            }
        }

        if (!string.IsNullOrEmpty(dashboard.Policy))
        {
            var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
            if ((await authorization.AuthorizeAsync(http.User, dashboard.Policy).ConfigureAwait(false)).Succeeded)
            {
                return true;
            }
        }

        if (!string.IsNullOrEmpty(dashboard.Username))
        {
            // Hangfire answers 401; the challenge makes a browser ask for the credentials.
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Archiver jobs\", charset=\"UTF-8\"";
        }

        Log.DashboardRefused(logger, connection.RemoteIpAddress?.ToString() ?? "unknown", "not local, no valid credentials or policy");
        return false;
    }

    /// <summary>
    /// A request from this machine that no proxy relayed. A reverse proxy on the same host connects
    /// from loopback for every client it serves, and says so in <c>Forwarded</c>, <c>X-Forwarded-For</c>
    /// or <c>X-Real-IP</c>: such a request is remote, whatever address it arrives from.
    /// </summary>
    public static bool IsLocal(HttpContext context)
    {
        var connection = context.Connection;
        var headers = context.Request.Headers;
        return connection.RemoteIpAddress is { } remote
            && (IPAddress.IsLoopback(remote) || remote.Equals(connection.LocalIpAddress))
            && !headers.ContainsKey("Forwarded") && !headers.ContainsKey("X-Forwarded-For") && !headers.ContainsKey("X-Real-IP");
    }

    /// <summary>
    /// A POST to <c>/hangfire</c> that the browser says another site sent (<c>Sec-Fetch-Site</c>), or
    /// whose <c>Origin</c> names another host: refused before Hangfire's own token check, for browsers
    /// that send these headers. The scheme is not compared (a proxy may end TLS in front of the host).
    /// </summary>
    public static bool IsCrossSitePost(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0
            && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static (string User, string Password)? Credentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 1_000)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[1_000];
        if (!Convert.TryFromBase64String(header[6..].Trim(), bytes, out var length))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes[..length]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
    }

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
