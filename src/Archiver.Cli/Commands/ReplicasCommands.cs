using System.CommandLine;
using Archiver.Cli.Output;
using Archiver.CouchDb.Replication;
using Archiver.Replication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archiver.Cli.Commands;

/// <summary>
/// <c>archiver replicas sync [--json]</c> (start or re-run the replications, then measure) and
/// <c>archiver replicas status [--json]</c> (measure only): per replica and database the replication's
/// state, documents written, pending changes, last checkpoint and the lag in campaigns. Both record
/// the campaigns a replica now holds complete. Exit 1 when a replica could not be synced or measured.
/// </summary>
internal static class ReplicasCommands
{
    public static Command Create()
    {
        var syncJson = new Option<bool>("--json") { Description = "Print the replicas' status as JSON." };
        var sync = new Command("sync", "Start (or run again) the replications from the central server to every replica, then show their status.") { syncJson };
        sync.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            parseResult, (services, ct) => RunAsync(services, start: true, parseResult.GetValue(syncJson), ct), cancellationToken));
        var statusJson = new Option<bool>("--json") { Description = "Print the replicas' status as JSON." };
        var status = new Command("status", "Per replica and database: state, documents written, pending, last checkpoint, lag in campaigns.") { statusJson };
        status.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            parseResult, (services, ct) => RunAsync(services, start: false, parseResult.GetValue(statusJson), ct), cancellationToken));
        return new Command("replicas", "The archive's replicas (Replicas:Servers): replication and lag.") { sync, status };
    }

    /// <summary>
    /// After an archive run that flagged campaigns: the one-shot replications run again (continuous
    /// ones are checked), so replicas follow each run. A replica that cannot be synced is reported on
    /// stderr and does not change the run's exit code: the archive itself is done.
    /// </summary>
    public static async Task SyncAfterArchiveAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<ReplicaOptions>>().Value.Enabled)
        {
            return;
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine("Replicas (Replicas:Servers): starting the replications");
        var statuses = await services.GetRequiredService<ReplicaSync>().SyncAsync(cancellationToken).ConfigureAwait(false);
        ReplicaStatusTable.Write(Console.Out, statuses);
        foreach (var status in statuses.Where(s => s.Problem is not null))
        {
            await Console.Error.WriteLineAsync($"archiver: replica {status.Replica} not synced: {status.Problem}").ConfigureAwait(false);
        }
    }

    private static async Task<int> RunAsync(IServiceProvider services, bool start, bool json, CancellationToken cancellationToken)
    {
        var replicas = services.GetRequiredService<ReplicaSync>();
        var statuses = start
            ? await replicas.SyncAsync(cancellationToken).ConfigureAwait(false)
            : await replicas.StatusAsync(cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(statuses);
        }
        else
        {
            ReplicaStatusTable.Write(Console.Out, statuses);
        }

        return statuses.Any(s => s.Problem is not null) ? ExitCodes.Failure : ExitCodes.Success;
    }
}
