using System.Net;

namespace Archiver.CouchDb;

/// <summary>
/// A CouchDB request failed as a whole: the server answered an error status, or could not be
/// reached in time (<see cref="StatusCode"/> null). An answer that breaks the protocol is a
/// <see cref="CouchDbProtocolException"/>.
/// </summary>
public sealed class CouchDbException : ArchiverException
{
    public CouchDbException(string method, string path, HttpStatusCode? statusCode, string error, string? reason, Exception? innerException = null)
        : base(FormatMessage(method, path, statusCode, error, reason), innerException)
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        Error = error;
        Reason = reason;
    }

    public string Method { get; }

    public string Path { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>CouchDB's <c>error</c> member, or our own word (<c>unreachable</c>, <c>timeout</c>).</summary>
    public string Error { get; }

    public string? Reason { get; }

    /// <summary>The one place that decides what may succeed when tried again.</summary>
    public override bool IsTransient => StatusCode is { } status ? IsTransientStatus(status) : Error is "unreachable" or "timeout";

    /// <summary>Statuses worth a retry: the server is overloaded, restarting or failed on its own.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static string FormatMessage(string method, string path, HttpStatusCode? statusCode, string error, string? reason)
    {
        var status = statusCode is { } code ? $"{(int)code} " : "";
        var detail = string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason;
        return $"CouchDB {method} {path} failed: {status}{error}{detail}";
    }
}
