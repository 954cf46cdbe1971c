namespace Archiver.Hangfire.MySql.Internal;

/// <summary>The quoted, prefixed table names, built once per storage.</summary>
internal sealed class StorageTables(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Schema { get; } = Quote(prefix, "schema");

    public string Job { get; } = Quote(prefix, "job");

    public string State { get; } = Quote(prefix, "state");

    public string JobParameter { get; } = Quote(prefix, "jobparameter");

    public string JobQueue { get; } = Quote(prefix, "jobqueue");

    public string Server { get; } = Quote(prefix, "server");

    public string Hash { get; } = Quote(prefix, "hash");

    public string Set { get; } = Quote(prefix, "set");

    public string List { get; } = Quote(prefix, "list");

    public string Counter { get; } = Quote(prefix, "counter");

    public string AggregatedCounter { get; } = Quote(prefix, "aggregatedcounter");

    private static string Quote(string prefix, string name) => $"`{prefix}{name}`";
}
