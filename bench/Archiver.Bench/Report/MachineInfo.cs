using System.Globalization;
using System.Runtime.InteropServices;

namespace Archiver.Bench.Report;

/// <summary>The machine a run was measured on, from /proc and /etc/os-release (Linux, like the servers).</summary>
internal sealed record MachineInfo(int Cores, string CpuModel, double MemoryGigabytes, string OperatingSystem)
{
    public static MachineInfo Current()
    {
        var model = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memoryKb = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            ?? RuntimeInformation.OSDescription;
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        return new MachineInfo(
            Environment.ProcessorCount,
            model,
            memoryKb is null ? 0 : long.Parse(memoryKb, CultureInfo.InvariantCulture) / (1024.0 * 1024.0),
            kernel.Length > 0 ? $"{os}, Linux {kernel}" : os);
    }

    private static string[] ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
