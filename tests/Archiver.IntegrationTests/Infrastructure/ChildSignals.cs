using System.Diagnostics;
using System.Globalization;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>
/// Starting an <c>archiver</c> child so that the signals a test sends reach it, and sending them.
/// A shell started in the background (<c>nohup ./scripts/test.sh &amp;</c>) ignores SIGINT; every
/// process it starts inherits that, and .NET keeps an inherited-ignored SIGINT ignored, as a
/// background program should. So children are started through <c>env --default-signal=INT</c>,
/// which restores the default before it runs <c>dotnet</c>; and before a signal is sent, the
/// child's ignored-signal mask is read, so that a signal the child would ignore fails the test
/// with that reason instead of a hang or a test that passes without the signal.
/// </summary>
public static class ChildSignals
{
    /// <summary>The start info of <c>dotnet archiver.dll</c> with SIGINT back at its default in the child.</summary>
    public static ProcessStartInfo Archiver(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "archiver.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Sends <paramref name="signal"/> (<c>INT</c>, <c>TERM</c>) to <paramref name="process"/>, after checking the child does not ignore it.</summary>
    public static async Task SendAsync(Process process, string signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (IsIgnored(process.Id, signal))
        {
            throw new InvalidOperationException($"the child {process.Id} ignores SIG{signal}: a test cannot stop it that way (started from a background shell without ChildSignals.Archiver?)");
        }

        using var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"kill -s {signal} {process.Id} failed with exit {kill.ExitCode}");
        }
    }

    /// <summary>Whether the process ignores the signal: its <c>SigIgn</c> mask in /proc (bit n−1 for signal n).</summary>
    public static bool IsIgnored(int pid, string signal)
    {
        var number = signal switch { "INT" => 2, "TERM" => 15, _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "INT or TERM") };
        string[] status;
        try
        {
            status = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (IOException)
        {
            return false; // exited meanwhile: nothing left to ignore anything
        }

        var mask = status.Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        return (ulong.Parse(mask, NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (number - 1))) != 0;
    }
}
