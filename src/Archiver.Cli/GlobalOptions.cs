using System.CommandLine;

namespace Archiver.Cli;

/// <summary>Options every command takes.</summary>
internal static class GlobalOptions
{
    /// <summary>
    /// An explicit settings file, ahead of <c>ARCHIVER_SETTINGS</c>, the working directory's and the
    /// program's <c>appsettings.json</c> (see <see cref="Hosting.ArchiverConfiguration"/>).
    /// </summary>
    public static Option<string?> Settings { get; } = new("--settings")
    {
        Description = "The settings file (default: ARCHIVER_SETTINGS, else appsettings.json in the working directory, else beside the program).",
        HelpName = "file",
        Recursive = true,
    };
}
