using Archiver.Queries;
using Archiver.Web.Api;
using Archiver.Web.Html;
using Archiver.Web.Input;

namespace Archiver.Web.Security;

/// <summary>
/// Turns every failure into a status and one line: a bad parameter, page, token or range is a 400
/// that says what is wrong, an unknown campaign a 404, anything else a 500 (or 503 when a server is
/// unreachable) whose detail goes only to the log. No stack trace, connection string or
/// server address ever reaches a client.
/// </summary>
internal sealed class ErrorResponses(RequestDelegate next, ILogger<ErrorResponses> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
#pragma warning disable CA1031 // The last line of defence between an exception and a client.
        catch (Exception ex) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            var (status, message) = ex switch
            {
                InvalidInputException => (StatusCodes.Status400BadRequest, ex.Message),
                ArgumentException argument when IsQueryArgument(argument) => (StatusCodes.Status400BadRequest, Clean(argument)),
                CampaignNotFoundException => (StatusCodes.Status404NotFound, ex.Message),
                ArchiverException { IsTransient: true } => (StatusCodes.Status503ServiceUnavailable, "a database is unavailable; try again shortly"),
                _ => (StatusCodes.Status500InternalServerError, "the server could not answer this request; the reason is in its log"),
            };
            if (status >= 500)
            {
                Log.RequestFailed(logger, context.Request.Path, ex);
            }

            await WriteAsync(context, status, message).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The query API's own checks of what a caller gave it (page, per_page, a page token, a range):
    /// the caller's mistake. Any other ArgumentException is a bug below (a document's shape, an id
    /// the code built) and a 500 that goes to the log, never a 400 that blames the client.
    /// </summary>
    private static bool IsQueryArgument(ArgumentException ex) =>
        ex.TargetSite?.DeclaringType is { } type && (type.DeclaringType ?? type).Namespace == typeof(ICampaignQueries).Namespace;

    /// <summary>The message without the runtime's " (Parameter 'x')" tail.</summary>
    private static string Clean(ArgumentException ex) =>
        ex.ParamName is { } name ? ex.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : ex.Message;

    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        // Headers already set stay (security headers, a dashboard's WWW-Authenticate challenge);
        // those that described a body that will not be sent go.
        context.Response.Headers.Remove("ETag");
        context.Response.Headers.Remove("Content-Disposition");
        context.Response.ContentLength = null;
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await context.Response.WriteAsJsonAsync(new ApiError(status, message), Pages.Responses.Json, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Layout.Error(status, message).Value, context.RequestAborted).ConfigureAwait(false);
    }
}
