namespace Archiver.Views;

/// <summary>A design document from the files and the database it is deployed to.</summary>
public sealed record DeployTarget(string Database, DesignDocument Design);
