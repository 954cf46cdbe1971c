namespace Archiver.Hangfire.MySql.Internal;

/// <summary>What a server announces about itself, stored as JSON in the server table for the dashboard.</summary>
internal sealed class ServerData
{
    public int WorkerCount { get; set; }

    public string[] Queues { get; set; } = [];

    public DateTime? StartedAt { get; set; }
}
