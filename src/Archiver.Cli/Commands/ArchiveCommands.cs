using System.CommandLine;
using Archiver.Cli.Output;
using Archiver.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver archive run [--campaign &lt;id&gt;] [--dry-run]</c>.</summary>
internal static class ArchiveCommands
{
    public static Command Create()
    {
        var campaign = new Option<long?>("--campaign") { Description = "Archive only this campaign; it must be unarchived and completed.", HelpName = "id" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be archived (campaigns, rows, batches) and write nothing." };
        var run = new Command("run", "Archive every completed, unarchived campaign: copy, verify, then flag.") { campaign, dryRun };
        run.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            (services, ct) => RunAsync(services, new ArchiveRequest(parseResult.GetValue(campaign), parseResult.GetValue(dryRun)), ct),
            cancellationToken));
        return new Command("archive", "Archive campaigns from MySQL into CouchDB.") { run };
    }

    private static async Task<int> RunAsync(IServiceProvider services, ArchiveRequest request, CancellationToken cancellationToken)
    {
        var engine = services.GetRequiredService<ArchiveEngine>();
        var progress = new ConsoleProgress(Console.Out);
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

        return result.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }
}
