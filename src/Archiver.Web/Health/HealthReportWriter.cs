using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Archiver.Web.Health;

/// <summary>A health report as JSON: the overall status and each check's status, description and time; never an exception's trace.</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            seconds = Math.Round(report.TotalDuration.TotalSeconds, 3),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                seconds = Math.Round(e.Value.Duration.TotalSeconds, 3),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Pages.Responses.Json), context.RequestAborted);
    }
}
