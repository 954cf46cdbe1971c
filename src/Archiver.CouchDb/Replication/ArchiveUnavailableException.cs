namespace Archiver.CouchDb.Replication;

/// <summary>No server (central or replica) that holds what a read needs complete could answer it.</summary>
public sealed class ArchiveUnavailableException(string what, IReadOnlyList<string> attempts, Exception? innerException = null)
    : ArchiverException($"the archive could not answer {what}: {(attempts.Count == 0 ? "no server holds it complete" : string.Join("; ", attempts))}", innerException)
{
    public IReadOnlyList<string> Attempts { get; } = attempts;

    public override bool IsTransient => true;
}
