using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Archiver.Web.Health;

/// <summary>The Hangfire storage answers its monitoring API: jobs failed and servers alive, as the dashboard shows them.</summary>
internal sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var statistics = storage.GetMonitoringApi().GetStatistics();
            var data = new Dictionary<string, object> { ["servers"] = statistics.Servers, ["failed"] = statistics.Failed, ["enqueued"] = statistics.Enqueued };
            return Task.FromResult(HealthCheckResult.Healthy($"job storage answers: {statistics.Servers} servers, {statistics.Failed} failed jobs", data));
        }
#pragma warning disable CA1031 // The storage's own exceptions vary (driver, Hangfire); any of them means "not ready".
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"job storage does not answer: {ex.Message}"));
        }
    }
}
