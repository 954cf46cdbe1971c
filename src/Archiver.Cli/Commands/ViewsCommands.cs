using System.CommandLine;
using Archiver.Cli.Output;
using Archiver.Hosting;
using Archiver.Options;
using Archiver.Views;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Archiver.Cli.Commands;

/// <summary><c>archiver views deploy [--database &lt;db&gt;] [--dry-run] [--no-wait]</c> and <c>archiver views status [--database &lt;db&gt;]</c>.</summary>
internal static class ViewsCommands
{
    public static Command Create()
    {
        var database = new Option<string?>("--database") { Description = "Only the design documents of this database (its configured name, or its folder under views/).", HelpName = "db" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every function and print what would be deployed; write nothing." };
        var noWait = new Option<bool>("--no-wait") { Description = "Upload changed design documents beside the live ones and start their builds, then stop; the next deploy makes them live." };
        var deploy = new Command("deploy", "Deploy the design documents under views/: unchanged ones are skipped, changed ones are built beside the live ones and then copied over them.")
        {
            database, dryRun, noWait,
        };
        deploy.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            (services, ct) => DeployAsync(services, parseResult.GetValue(database), parseResult.GetValue(dryRun), parseResult.GetValue(noWait), ct),
            cancellationToken));
        var statusDatabase = new Option<string?>("--database") { Description = "Only this database.", HelpName = "db" };
        var status = new Command("status", "Per design document: deployed or not, in sync with the files under views/ or not, built or not.") { statusDatabase };
        status.SetAction((parseResult, cancellationToken) => CliServices.RunAsync(
            (services, ct) => StatusAsync(services, parseResult.GetValue(statusDatabase), ct),
            cancellationToken));
        return new Command("views", "CouchDB design documents, kept as files under views/.") { deploy, status };
    }

    internal static async Task<IReadOnlyList<DeployTarget>> TargetsAsync(IServiceProvider services, string? database, CancellationToken cancellationToken)
    {
        var views = services.GetRequiredService<IOptions<ViewsOptions>>().Value;
        var folders = await ViewCatalog.LoadAsync(ViewsDirectory.Resolve(views), services.GetRequiredService<IFunctionChecker>(), cancellationToken).ConfigureAwait(false);
        return ViewTargets.Resolve(folders, services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Sets, database);
    }

    private static async Task<int> DeployAsync(IServiceProvider services, string? database, bool dryRun, bool noWait, CancellationToken cancellationToken)
    {
        var targets = await TargetsAsync(services, database, cancellationToken).ConfigureAwait(false);
        var deployer = services.GetRequiredService<ViewDeployer>();
        var results = await deployer.DeployAsync(targets, dryRun, noWait, new ViewDeployProgress(Console.Out), cancellationToken).ConfigureAwait(false);
        ViewDeploySummary.Write(Console.Out, results);
        return ExitCodes.Success;
    }

    private static async Task<int> StatusAsync(IServiceProvider services, string? database, CancellationToken cancellationToken)
    {
        var targets = await TargetsAsync(services, database, cancellationToken).ConfigureAwait(false);
        var statuses = await services.GetRequiredService<ViewStatusReader>().ReadAsync(targets, cancellationToken).ConfigureAwait(false);
        ViewStatusTable.Write(Console.Out, statuses);
        return ExitCodes.Success;
    }
}
