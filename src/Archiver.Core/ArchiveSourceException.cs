namespace Archiver;

/// <summary>The source database failed; the message says which operation, table and campaign.</summary>
public sealed class ArchiveSourceException(string message, Exception? innerException, bool isTransient)
    : ArchiverException(message, innerException)
{
    public override bool IsTransient { get; } = isTransient;
}
