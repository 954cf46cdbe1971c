namespace Archiver.Cli;

/// <summary>
/// The one table of exit codes, the same for every command. The README's table is checked against
/// <see cref="Table"/> by a test, and the wrong-usage test drives every command against it.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The work failed (a campaign, a purge, a server down or refusing); the reason is on stderr, one line each.</summary>
    public const int Failure = 1;

    /// <summary>Usage or configuration: a bad option, argument, settings file or setting; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>The time limit (<c>--max-runtime</c>) stopped the run cleanly with work left; nothing failed, the next run carries on.</summary>
    public const int Incomplete = 3;

    /// <summary>A bug: an error Archiver does not expect (one line; <c>ARCHIVER_DEBUG=1</c> adds the details).</summary>
    public const int Unexpected = 70;

    /// <summary>Interrupted by Ctrl+C or SIGTERM: the campaign in progress is left <c>interrupted</c>, nothing is flagged unverified.</summary>
    public const int Interrupted = 130;

    /// <summary>The README's table, row by row: code, name, meaning.</summary>
    public static IReadOnlyList<(int Code, string Name, string Meaning)> Table { get; } =
    [
        (Success, "success", "Done; for `doctor`, every check passed."),
        (Failure, "failed", "The work failed: a campaign not archived, a purge blocked, a server down or refusing, a `doctor` check failed."),
        (Usage, "usage", "Usage or configuration error: a bad option or argument, a missing or broken settings file, an unknown or invalid setting. Nothing was done."),
        (Incomplete, "incomplete", "`--max-runtime` stopped the run cleanly with work left; nothing failed, the next run carries on."),
        (Unexpected, "bug", "An error Archiver did not expect; one line, `ARCHIVER_DEBUG=1` prints the details. Please report it."),
        (Interrupted, "interrupted", "Ctrl+C or SIGTERM: the campaign in progress is `interrupted` (not failed); the next run continues it."),
    ];
}
