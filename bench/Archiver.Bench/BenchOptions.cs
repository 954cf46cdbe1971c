namespace Archiver.Bench;

/// <summary>Command-line options of the harness (<c>bench/run.sh</c> passes its arguments through).</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        "usage: bench/run.sh [--entries N | --million] [--rss-entries N] [--shards-entries N] [--server pouchdb|couchdb] [--record KEY] [--note TEXT] [--no-record]";

    /// <summary>The archive side: the pouchdb-server services.sh starts, or an external CouchDB (<see cref="ExternalServer"/>).</summary>
    public const string PouchDbServer = "pouchdb";

    /// <summary>An external CouchDB: <c>ARCHIVER_BENCH_COUCHDB_URL</c>, with <c>ARCHIVER_BENCH_COUCHDB_USER</c> and <c>ARCHIVER_BENCH_COUCHDB_PASSWORD</c>.</summary>
    public const string ExternalServer = "couchdb";

    /// <summary>Entries of the campaign that is archived, sunk, purged and pt-archived.</summary>
    public int Entries { get; init; } = 200_000;

    /// <summary>Entries of the smaller campaign whose peak RSS is compared with the big one's.</summary>
    public int RssEntries { get; init; } = 100_000;

    /// <summary>Entries of the shards scenario's campaign (unsharded, then 8 shards with 1, 2 and 4 at once); 0 skips it.</summary>
    public int ShardsEntries { get; init; }

    /// <summary><see cref="PouchDbServer"/> or <see cref="ExternalServer"/>.</summary>
    public string Server { get; init; } = PouchDbServer;

    /// <summary>BENCHMARKS.md section this run writes (a later run with the same key replaces it); null writes nothing.</summary>
    public string? RecordKey { get; init; } = "dev";

    /// <summary>What kind of run this is, printed in the section's title.</summary>
    public string Note { get; init; } = "development run (shared, noisy 2-core machine; to be re-measured on a quiet one)";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            options = args[i] switch
            {
                "--entries" => options with { Entries = BenchArguments.Number(Value(), 1000, "number of entries") },
                "--million" => options with { Entries = 1_000_000 },
                "--rss-entries" => options with { RssEntries = BenchArguments.Number(Value(), 1000, "number of entries") },
                "--shards-entries" => options with { ShardsEntries = BenchArguments.Number(Value(), 8_000, "number of entries") },
                "--server" => options with
                {
                    Server = Value() is PouchDbServer or ExternalServer ? args[i] : throw new ArgumentException($"--server takes {PouchDbServer} or {ExternalServer}, not {args[i]}"),
                },
                "--record" => options with { RecordKey = Value() },
                "--no-record" => options with { RecordKey = null },
                "--note" => options with { Note = Value() },
                _ => throw new ArgumentException($"unknown argument {args[i]}. {Usage}"),
            };
        }

        BenchArguments.CheckRecordKey(options.RecordKey);

        return options;
    }
}
