using System.Diagnostics;
using Archiver.Engine;

namespace Archiver.Cli;

/// <summary>
/// Crash testing: when <c>ARCHIVER_KILL_AT</c> names a checkpoint (see <see cref="IArchiveCheckpoints"/>),
/// the process kills itself there, as abruptly as <c>kill -9</c>: no finally blocks, no flushing, no
/// goodbye to either server. The kill-and-re-run tests use it to stop a real archiver at exact
/// points; it does nothing unless the variable is set.
/// </summary>
internal sealed class KillSwitch(string point) : IArchiveCheckpoints
{
    public const string Variable = "ARCHIVER_KILL_AT";

    public static KillSwitch? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } point ? new KillSwitch(point) : null;

    public void Reached(string reached)
    {
        if (string.Equals(reached, point, StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"archiver: {Variable}={point}: killing this process");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
        }
    }
}
