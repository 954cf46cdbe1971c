using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;

namespace Archiver.Web.Health;

/// <summary>MySQL answers a query on the archive's own connection pool.</summary>
internal sealed class MySqlHealthCheck(MySqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new MySqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("MySQL answers");
        }
        catch (MySqlException ex)
        {
            // The driver's message names no password; the connection string is never quoted.
            return HealthCheckResult.Unhealthy($"MySQL does not answer: {ex.Message}");
        }
    }
}
