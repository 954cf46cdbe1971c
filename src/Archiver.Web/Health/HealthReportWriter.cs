using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Archiver.Web.Health;

/// <summary>
/// A health report as JSON: the overall status and each check's status and time; never an
/// exception's trace. The descriptions (drivers' messages: user names, addresses, databases) go only
/// to requests from this machine that no proxy relayed, as the dashboard decides; a remote monitor
/// needs the statuses only.
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var local = Dashboard.DashboardAccess.IsLocal(context);
        var body = new
        {
            status = report.Status.ToString(),
            seconds = Math.Round(report.TotalDuration.TotalSeconds, 3),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = local ? e.Value.Description : null,
                seconds = Math.Round(e.Value.Duration.TotalSeconds, 3),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Pages.Responses.Json), context.RequestAborted);
    }
}
