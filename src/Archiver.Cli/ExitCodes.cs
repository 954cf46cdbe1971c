namespace Archiver.Cli;

/// <summary>Process exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>At least one campaign failed, or an operation failed; the reason is on stderr.</summary>
    public const int Failure = 1;

    /// <summary>Configuration, or an argument (a page, a token, a time range), is invalid; nothing was done.</summary>
    public const int Configuration = 2;

    /// <summary>
    /// The time limit (<c>--max-runtime</c>) stopped the run cleanly with work left; nothing failed,
    /// and the next run carries on.
    /// </summary>
    public const int Incomplete = 3;

    /// <summary>Stopped by Ctrl+C or SIGTERM; no campaign was flagged unverified.</summary>
    public const int Cancelled = 130;

    /// <summary>A bug: an exception Archiver does not expect.</summary>
    public const int Unexpected = 70;
}
