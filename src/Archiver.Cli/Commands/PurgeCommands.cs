using System.CommandLine;
using Archiver.Cli.Output;
using Archiver.Purge;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver purge [--campaign &lt;id&gt;] [--older-than &lt;timespan&gt;] [--dry-run] [--batch &lt;n&gt;] [--sleep &lt;ms&gt;] [--max-runtime &lt;timespan&gt;]</c>.</summary>
internal static class PurgeCommands
{
    public static Command Create()
    {
        var campaign = new Option<long?>("--campaign") { Description = "Purge only this campaign; it must be archived.", HelpName = "id" };
        var olderThan = Durations.Option("--older-than", "Only campaigns archived at least this long ago by the database's clock (e.g. 30d, 12h, 7.00:00:00); default: any archived campaign.", positive: false);
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be purged (campaigns, rows per set, batches) and write nothing." };
        var batch = new Option<int?>("--batch") { Description = "Rows deleted per transaction (default Purge:BatchSize, 1,000).", HelpName = "n" };
        var sleep = new Option<int?>("--sleep") { Description = "Pause between batches in milliseconds (default Purge:Sleep, none).", HelpName = "ms" };
        var maxRuntime = Durations.Option("--max-runtime", "Stop cleanly between batches after this long (e.g. 90s, 15m, 1h); a re-run continues.", positive: true);
        var purge = new Command(
            "purge",
            "Delete the MySQL rows of archived campaigns, after re-verifying every set against the archive; in primary-key batches, resumable.")
        {
            campaign, olderThan, dryRun, batch, sleep, maxRuntime,
        };
        purge.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            parseResult,
            (services, ct) => RunAsync(
                services,
                new PurgeRequest(
                    parseResult.GetValue(campaign),
                    parseResult.GetValue(olderThan),
                    parseResult.GetValue(dryRun),
                    parseResult.GetValue(batch),
                    parseResult.GetValue(sleep) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                    parseResult.GetValue(maxRuntime)),
                ct),
            cancellationToken));
        return purge;
    }

    internal static async Task<int> RunAsync(IServiceProvider services, PurgeRequest request, CancellationToken cancellationToken)
    {
        await Preflight.RunAsync(services, cancellationToken).ConfigureAwait(false);
        var engine = services.GetRequiredService<PurgeEngine>();
        var result = await engine.RunAsync(request, new PurgeProgress(Console.Out), cancellationToken).ConfigureAwait(false);
        PurgeSummary.Write(Console.Out, result);
        foreach (var failed in result.Campaigns.Where(c => c.Outcome is PurgeOutcome.Blocked or PurgeOutcome.Failed))
        {
            await Console.Error.WriteLineAsync($"archiver: {failed.Label} not purged: {failed.Reason}").ConfigureAwait(false);
        }

        if (result.Cancelled)
        {
            return ExitCodes.Interrupted;
        }

        if (result.Blocked > 0 || result.Failed > 0)
        {
            return ExitCodes.Failure;
        }

        return result.Complete ? ExitCodes.Success : ExitCodes.Incomplete;
    }
}
