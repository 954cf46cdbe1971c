using System.CommandLine;
using Archiver.Cli.Output;
using Archiver.Engine;
using Archiver.Options;
using Archiver.Source;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver archive run [--campaign &lt;id&gt;] [--dry-run] [--max-runtime &lt;timespan&gt;]</c> and <c>archiver archive status [--state &lt;state&gt;]</c>.</summary>
internal static class ArchiveCommands
{
    public static Command Create()
    {
        var campaign = new Option<long?>("--campaign") { Description = "Archive only this campaign; it must be unarchived and completed.", HelpName = "id" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be archived (campaigns, rows, batches) and write nothing." };
        var maxRuntime = new Option<TimeSpan?>("--max-runtime")
        {
            Description = "Stop cleanly after this long (e.g. 01:30:00): no new batch or campaign is started; the campaign in progress is finished by the next run.",
            HelpName = "timespan",
        };
        maxRuntime.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<TimeSpan?>() is { } value && value <= TimeSpan.Zero)
            {
                result.AddError($"--max-runtime must be positive (got {value}).");
            }
        });
        var run = new Command("run", "Archive every completed, unarchived campaign: copy, verify, then flag.") { campaign, dryRun, maxRuntime };
        run.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            (services, ct) => RunAsync(services, new ArchiveRequest(parseResult.GetValue(campaign), parseResult.GetValue(dryRun), parseResult.GetValue(maxRuntime)), ct),
            cancellationToken));
        var state = new Option<CampaignState?>("--state") { Description = "Show only campaigns in this state.", HelpName = "live|eligible|running|interrupted|failed|archived" };
        var status = new Command("status", "Every campaign with its archive state (live, eligible, running, interrupted, failed with the last error, archived), and totals.") { state };
        status.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            (services, ct) => StatusAsync(services, parseResult.GetValue(state), ct),
            cancellationToken));
        return new Command("archive", "Archive campaigns from MySQL into CouchDB.") { run, status };
    }

    private static async Task<int> StatusAsync(IServiceProvider services, CampaignState? only, CancellationToken cancellationToken)
    {
        var journal = services.GetRequiredService<IRunJournal>();
        var options = services.GetRequiredService<IOptions<ArchiveOptions>>().Value;
        var campaigns = await journal.GetStatusAsync(options.CompletedAfter, cancellationToken).ConfigureAwait(false);
        StatusTable.Write(Console.Out, campaigns, only);
        return ExitCodes.Success;
    }

    private static async Task<int> RunAsync(IServiceProvider services, ArchiveRequest request, CancellationToken cancellationToken)
    {
        var engine = services.GetRequiredService<ArchiveEngine>();
        var progress = ConsoleProgress.ForConsole();
        var result = await engine.RunAsync(request, progress, cancellationToken).ConfigureAwait(false);
        RunSummary.Write(Console.Out, result);
        foreach (var failed in result.Campaigns.Where(c => c.Outcome == CampaignOutcome.Failed))
        {
            await Console.Error.WriteLineAsync($"archiver: {failed.Label} not archived: {failed.Reason}").ConfigureAwait(false);
        }

        if (result.Cancelled)
        {
            return ExitCodes.Cancelled;
        }

        if (!result.Succeeded)
        {
            return ExitCodes.Failure;
        }

        return result.Incomplete ? ExitCodes.Incomplete : ExitCodes.Success;
    }
}
