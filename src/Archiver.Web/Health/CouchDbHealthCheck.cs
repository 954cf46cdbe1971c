using Archiver.CouchDb;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Archiver.Web.Health;

/// <summary>The archive's CouchDB server answers its welcome request.</summary>
internal sealed class CouchDbHealthCheck(CouchDbClient couch) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var info = await couch.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"CouchDB answers ({info.Product} {info.Version})");
        }
        catch (ArchiverException ex)
        {
            return HealthCheckResult.Unhealthy($"CouchDB does not answer: {ex.Message}");
        }
    }
}
