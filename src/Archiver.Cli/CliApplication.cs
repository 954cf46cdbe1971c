using System.CommandLine;
using Archiver.Cli.Commands;
using Archiver.Cli.Errors;

namespace Archiver.Cli;

/// <summary>The <c>archiver</c> command tree.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Everything the process prints, logs included, passes the redactor first.
        Console.SetOut(new RedactingWriter(Console.Out));
        Console.SetError(new RedactingWriter(Console.Error, dropCarriageReturns: true));
        try
        {
            var root = Create();
            var parseResult = root.Parse(args);
            if (parseResult.Errors.Count > 0)
            {
                await Console.Error.WriteLineAsync(UsageErrors.Describe(parseResult)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            // Without a termination timeout, Ctrl+C and SIGTERM kill the process on the spot. With one,
            // they cancel the action's token: the engine stops at the next batch, leaves the campaign it
            // was in interrupted, prints the summary and exits 130.
            return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) }).ConfigureAwait(false);
        }
        finally
        {
            await Console.Out.FlushAsync().ConfigureAwait(false);
            await Console.Error.FlushAsync().ConfigureAwait(false);
        }
    }

    public static RootCommand Create()
    {
        var root = new RootCommand("Archiver: moves completed campaigns from MySQL into a CouchDB archive, exactly.")
        {
            ArchiveCommands.Create(),
            PurgeCommands.Create(),
            ViewsCommands.Create(),
            CouchDbCommands.Create(),
            QueryCommands.Create(),
            DemoCommands.Create(),
            DoctorCommand.Create(),
            WorkerCommand.Create(),
            JobsCommands.Create(),
            DbCommands.Create(),
            ServeCommand.Create(),
            ReplicasCommands.Create(),
        };
        root.Options.Add(GlobalOptions.Settings);
        return root;
    }
}
