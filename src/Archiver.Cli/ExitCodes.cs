namespace Archiver.Cli;

/// <summary>Process exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>At least one campaign failed, or an operation failed; the reason is on stderr.</summary>
    public const int Failure = 1;

    /// <summary>Configuration is invalid; nothing was done.</summary>
    public const int Configuration = 2;

    /// <summary>Stopped by <c>--max-runtime</c> before everything was done; nothing is half-done, and running again continues.</summary>
    public const int Incomplete = 3;

    /// <summary>Stopped by Ctrl+C or SIGTERM; no campaign was flagged unverified.</summary>
    public const int Cancelled = 130;

    /// <summary>A bug: an exception Archiver does not expect.</summary>
    public const int Unexpected = 70;
}
