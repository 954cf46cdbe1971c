namespace Archiver.Hangfire.MySql;

/// <summary>The storage cannot work as configured or as found (bad options, a newer schema, a lock the server refused).</summary>
public sealed class MySqlStorageException : Exception
{
    public MySqlStorageException()
    {
    }

    public MySqlStorageException(string message)
        : base(message)
    {
    }

    public MySqlStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
