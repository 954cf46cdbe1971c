namespace Archiver.Views;

/// <summary>A design document could not be made live; the live one is left as it was (or, after the copy, already replaced).</summary>
public sealed class ViewDeployException(string database, string design, string problem, Exception? innerException = null)
    : ArchiverException($"deploying _design/{design} to {database} failed: {problem}", innerException)
{
    public string Database { get; } = database;

    public string Design { get; } = design;
}
