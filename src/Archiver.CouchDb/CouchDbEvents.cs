namespace Archiver.CouchDb;

/// <summary>Event ids of the CouchDB client and archive store's log messages (2000–2999): stable numbers to filter and alert on.</summary>
public static class CouchDbEvents
{
    public const int Request = 2000;

    public const int QuorumNotMet = 2001;

    public const int DatabaseCreated = 2002;

    public const int Retrying = 2003;

    public const int PageIndexBuilt = 2004;

    public const int CircuitOpened = 2005;

    public const int CircuitClosed = 2006;

    public const int ReadFailedOver = 2100;

    public const int ProbeFailed = 2101;

    public const int ReplicaJournalUnavailable = 2102;

    public const int ReplicationStarted = 2103;

    public const int ReplicaCampaignComplete = 2104;

    public const int ReplicaDesignCopied = 2105;
}
