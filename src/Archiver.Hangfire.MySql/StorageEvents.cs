namespace Archiver.Hangfire.MySql;

/// <summary>Event ids of the Hangfire MySQL storage's log messages (6000–6999): stable numbers to filter and alert on.</summary>
public static class StorageEvents
{
    public const int SchemaInstalled = 6000;

    public const int CommitRetry = 6001;

    public const int LeaseLost = 6002;

    public const int Expired = 6003;

    public const int Aggregated = 6004;

    public const int RoundSkipped = 6005;

    public const int LockConnectionLost = 6006;

    public const int KeepAliveFailed = 6007;
}
