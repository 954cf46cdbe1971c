namespace Archiver.MySql;

/// <summary>Event ids of the MySQL side's log messages (3000–3999): stable numbers to filter and alert on.</summary>
public static class MySqlEvents
{
    public const int Retrying = 3000;

    public const int LockLost = 3001;

    public const int SchemaMigrated = 3002;

    public const int WaitingForServer = 3003;

    public const int StreamResumed = 3004;
}
