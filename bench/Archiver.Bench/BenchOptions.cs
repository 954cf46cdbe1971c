namespace Archiver.Bench;

/// <summary>Command-line options of the harness (<c>bench/run.sh</c> passes its arguments through).</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        "usage: bench/run.sh [--entries N | --million] [--rss-entries N] [--record KEY] [--note TEXT] [--no-record]";

    /// <summary>Entries of the campaign that is archived, sunk, purged and pt-archived.</summary>
    public int Entries { get; init; } = 200_000;

    /// <summary>Entries of the smaller campaign whose peak RSS is compared with the big one's.</summary>
    public int RssEntries { get; init; } = 100_000;

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
