namespace Archiver.Views;

/// <summary>The outcome for one design document; <see cref="PreviousHash"/> is the deployed content's hash before, null when there was none.</summary>
public sealed record DesignDeployResult(string Database, string Design, DesignChange Change, string Hash, string? PreviousHash, TimeSpan BuildTime);
