using System.CommandLine;
using Archiver.Cli.Output;
using Archiver.Engine;
using Archiver.Options;
using Archiver.Purge;
using Archiver.Source;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver archive run [--campaign &lt;id&gt;] [--dry-run] [--max-runtime &lt;timespan&gt;] [--parallel &lt;K&gt;]</c> and <c>archiver archive status [--state &lt;state&gt;]</c>.</summary>
internal static class ArchiveCommands
{
    /// <summary>Shards copied at once by one process: each holds a MySQL connection and up to Archive:MaxConcurrentBatches requests.</summary>
    private const int MaxParallel = 64;

    public static Command Create()
    {
        var campaign = new Option<long?>("--campaign") { Description = "Archive only this campaign; it must be unarchived and completed.", HelpName = "id" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be archived (campaigns, rows, batches) and write nothing." };
        var maxRuntime = Durations.Option(
            "--max-runtime",
            "Stop cleanly after this long (e.g. 90m, 2h or 01:30:00): no new batch or campaign is started; the campaign in progress is finished by the next run.",
            positive: true);
        var parallel = new Option<int>("--parallel")
        {
            Description = "Shards of a campaign above Archive:ShardRows copied at once in this process (default 1).",
            HelpName = "K",
            DefaultValueFactory = _ => 1,
        };
        parallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxParallel)
            {
                result.AddError($"--parallel: must be between 1 and {MaxParallel} (got {result.GetValueOrDefault<int>()})");
            }
        });
        var run = new Command("run", "Archive every completed, unarchived campaign: copy, verify, then flag.") { campaign, dryRun, maxRuntime, parallel };
        run.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            parseResult,
            (services, ct) => RunAsync(services, new ArchiveRequest(parseResult.GetValue(campaign), parseResult.GetValue(dryRun), parseResult.GetValue(maxRuntime)) { Parallel = parseResult.GetValue(parallel) }, ct),
            cancellationToken));
        var state = new Option<CampaignState?>("--state") { Description = "Show only campaigns in this state.", HelpName = "live|eligible|running|interrupted|failed|archived" };
        var json = new Option<bool>("--json") { Description = "Print the campaigns as JSON." };
        var status = new Command("status", "Every campaign with its archive state (live, eligible, running, interrupted, failed with the last error, archived), and totals.") { state, json };
        status.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            parseResult,
            (services, ct) => StatusAsync(services, parseResult.GetValue(state), parseResult.GetValue(json), ct),
            cancellationToken));
        return new Command("archive", "Archive campaigns from MySQL into CouchDB.") { run, status };
    }

    private static async Task<int> StatusAsync(IServiceProvider services, CampaignState? only, bool json, CancellationToken cancellationToken)
    {
        // A read of MySQL only: one quick attempt first, so that a server that is down is one line at once, not a minute of retries.
        await Preflight.CheckMySqlAsync(services, cancellationToken).ConfigureAwait(false);
        var journal = services.GetRequiredService<IRunJournal>();
        var options = services.GetRequiredService<IOptions<ArchiveOptions>>().Value;
        var campaigns = await journal.GetStatusAsync(options.CompletedAfter, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(campaigns.Where(c => only is null || c.State == only));
        }
        else
        {
            StatusTable.Write(Console.Out, campaigns, only);
        }

        return ExitCodes.Success;
    }

    private static async Task<int> RunAsync(IServiceProvider services, ArchiveRequest request, CancellationToken cancellationToken)
    {
        await Preflight.RunAsync(services, cancellationToken).ConfigureAwait(false);
        var engine = services.GetRequiredService<ArchiveEngine>();
        var result = await LiveProgress.RunAsync(Console.Out, progress => engine.RunAsync(request, progress, cancellationToken)).ConfigureAwait(false);
        RunSummary.Write(Console.Out, result);
        foreach (var failed in result.Campaigns.Where(c => c.Outcome == CampaignOutcome.Failed))
        {
            await Console.Error.WriteLineAsync($"archiver: {failed.Label} not archived: {failed.Reason}").ConfigureAwait(false);
        }

        if (result.Cancelled)
        {
            await Console.Error.WriteLineAsync("archiver: interrupted; the next run continues where this one stopped").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }

        var exitCode = !result.Succeeded ? ExitCodes.Failure : result.Incomplete ? ExitCodes.Incomplete : ExitCodes.Success;
        if (!request.DryRun && result.Archived > 0)
        {
            await ReplicasCommands.SyncAfterArchiveAsync(services, cancellationToken).ConfigureAwait(false);
        }

        var purgeAfter = services.GetRequiredService<IOptions<ArchiveOptions>>().Value.PurgeAfter;
        if (purgeAfter is null || result.Incomplete)
        {
            // Never by default: deleting source rows is an explicit decision. A run stopped by its
            // time limit has no time left for it either.
            return exitCode;
        }

        var remaining = request.MaxRuntime - result.Elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            Console.Out.WriteLine("Archive:PurgeAfter is set, but the maximum run time is used up: no purge this run.");
            return ExitCodes.Incomplete;
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine(FormattableString.Invariant($"Archive:PurgeAfter is {purgeAfter}: purging campaigns archived at least that long ago"));
        var purgeRequest = new PurgeRequest(
            CampaignId: request.CampaignId, OlderThan: purgeAfter, DryRun: request.DryRun, MaxRuntime: remaining, IneligibleIsSkipped: true);
        var purgeExitCode = await PurgeCommands.RunAsync(services, purgeRequest, cancellationToken).ConfigureAwait(false);
        return CombineExitCodes(exitCode, purgeExitCode);
    }

    /// <summary>The more serious of the archive's and the purge's exit codes: cancelled, then failure, then stopped by the time limit.</summary>
    internal static int CombineExitCodes(int archive, int purge)
    {
        foreach (var code in (int[])[ExitCodes.Interrupted, ExitCodes.Failure, ExitCodes.Incomplete])
        {
            if (archive == code || purge == code)
            {
                return code;
            }
        }

        return ExitCodes.Success;
    }
}
