using System.Globalization;
using Archiver.Views;

namespace Archiver.Cli.Output;

/// <summary>Prints a deploy's steps and, while an index builds, one line per progress interval.</summary>
internal sealed class ViewDeployProgress(TextWriter output) : IViewDeployProgress
{
    public void Stepped(string database, string design, string message) =>
        output.WriteLine($"  {database} _design/{design}: {message}");

    public void Building(string database, string design, string view, TimeSpan elapsed, int? percent) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {database} _design/{design}{ViewDeployer.StagingSuffix}/_view/{view}: building, {elapsed.TotalSeconds:F0} s{(percent is { } p ? $", {p} %" : " (the server reports no progress; waiting for the query that builds it)")}"));
}
