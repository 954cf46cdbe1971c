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
            DemoCommands.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
