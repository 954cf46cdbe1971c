namespace Archiver.Views;

/// <summary>
/// A file under <c>views/</c> cannot become a design document: a function that does not compile,
/// an unknown built-in reducer, a misplaced file. The message names the file and, where known, the line.
/// </summary>
public sealed class ViewSourceException(string file, int? line, string problem)
    : ArchiverException($"{file}{(line is { } l ? $":{l}" : "")}: {problem}")
{
    /// <summary>The file, relative to the views folder's parent (e.g. <c>views/contest_campaign_entries/stats/views/by_minute/map.js</c>).</summary>
    public string File { get; } = file;

    public int? Line { get; } = line;

    public string Problem { get; } = problem;
}
