namespace Archiver.Views;

/// <summary>Reports a deploy as it goes (the CLI prints it).</summary>
public interface IViewDeployProgress
{
    /// <summary>A step for one design document: uploading, copying over the live one, cleaning up.</summary>
    void Stepped(string database, string design, string message);

    /// <summary>
    /// An index build in progress, every <c>Views:ProgressInterval</c>. <paramref name="percent"/> is
    /// the server's figure from <c>_active_tasks</c>, null when it reports none (pouchdb-server).
    /// </summary>
    void Building(string database, string design, string view, TimeSpan elapsed, int? percent);
}
