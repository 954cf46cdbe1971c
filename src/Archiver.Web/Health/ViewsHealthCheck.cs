using Archiver.CouchDb;
using Archiver.Hosting;
using Archiver.Options;
using Archiver.Views;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Archiver.Web.Health;

/// <summary>
/// The archive's design documents are those under <c>views/</c> and built (what <c>archiver views
/// status</c> shows). An archive database that does not exist yet (before the first archive) is fine;
/// a view missing, different from its file or behind its database is not ready.
/// </summary>
internal sealed class ViewsHealthCheck(ViewStatusReader reader, CouchDbClient couch, IFunctionChecker checker, IOptions<ViewsOptions> views, IOptions<ArchiveOptions> archive, Microsoft.Extensions.Configuration.IConfiguration configuration) : IHealthCheck
{
    // Loading the files checks every function with node: done once per process.
    private readonly Lazy<Task<IReadOnlyList<DeployTarget>>> _targets = new(async () =>
    {
        var folders = await ViewCatalog.LoadAsync(ViewsDirectory.Resolve(views.Value, configuration), checker).ConfigureAwait(false);
        return ViewTargets.Resolve(folders, archive.Value.Sets, null);
    });

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var existing = new List<DeployTarget>();
            foreach (var target in await _targets.Value.ConfigureAwait(false))
            {
                if (await couch.GetDatabaseInfoAsync(target.Database, cancellationToken).ConfigureAwait(false) is not null)
                {
                    existing.Add(target);
                }
            }

            var statuses = await reader.ReadAsync(existing, cancellationToken).ConfigureAwait(false);
            var problems = statuses.Where(s => s.InFiles && !(s.Deployed && s.InSync && s.Built != false))
                .Select(s => $"{s.Database}/_design/{s.Design}: " + (!s.Deployed ? "not deployed" : !s.InSync ? "differs from views/" : "not built (" + string.Join(", ", s.StaleViews) + ")"))
                .ToList();
            return problems.Count == 0
                ? HealthCheckResult.Healthy(existing.Count == 0 ? "no archive database yet" : $"{statuses.Count} design documents in sync")
                : HealthCheckResult.Unhealthy(string.Join("; ", problems) + "; run archiver views deploy");
        }
        catch (ArchiverException ex)
        {
            return HealthCheckResult.Unhealthy($"views: {ex.Message}");
        }
    }
}
