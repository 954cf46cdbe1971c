namespace Archiver.Views;

/// <summary>
/// One design document's state: <see cref="InFiles"/> (under <c>views/</c>), <see cref="Deployed"/>,
/// <see cref="InSync"/> (deployed content equals the files'), <see cref="Built"/> (every view's index
/// has reached the database's update sequence; null when not deployed or the sequences cannot be
/// compared), and whether a staging copy exists.
/// </summary>
public sealed record DesignStatus(
    string Database,
    string Design,
    bool InFiles,
    bool Deployed,
    bool InSync,
    bool? Built,
    string? FileHash,
    string? DeployedHash,
    bool Staging,
    IReadOnlyList<string> StaleViews);
