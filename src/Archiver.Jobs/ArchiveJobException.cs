namespace Archiver.Jobs;

/// <summary>A job's unit of work failed; the message (the engine's reason) becomes the job's failed state, and Hangfire retries it.</summary>
public sealed class ArchiveJobException(string message) : ArchiverException(message);
