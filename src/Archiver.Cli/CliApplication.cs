using System.CommandLine;
using Archiver.Cli.Commands;

namespace Archiver.Cli;

/// <summary>The <c>archiver</c> command tree.</summary>
internal static class CliApplication
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Archiver: moves completed campaigns from MySQL into a CouchDB archive, exactly.")
        {
            ArchiveCommands.Create(),
            PurgeCommands.Create(),
            ViewsCommands.Create(),
            QueryCommands.Create(),
            DemoCommands.Create(),
            WorkerCommand.Create(),
            JobsCommands.Create(),
            ServeCommand.Create(),
        };
        // Without a termination timeout, Ctrl+C and SIGTERM kill the process on the spot. With one,
        // they cancel the action's token: the engine stops at the next batch, reports the campaign
        // it was in as not flagged, prints the summary and exits 130.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
    }
}
