namespace Archiver.Bench.Pages;

/// <summary>Options of the deep-page benchmark (<c>bench/pages.sh</c>, or <c>archiver-bench pages …</c>).</summary>
internal sealed record PagesBenchOptions
{
    public const string Usage = "usage: bench/pages.sh [--entries N] [--per-page N] [--page N] [--repeats N] [--record KEY | --no-record]";

    public int Entries { get; init; } = 100_000;

    public int PerPage { get; init; } = 50;

    /// <summary>The deep page compared with page 1.</summary>
    public int DeepPage { get; init; } = 1_000;

    /// <summary>Reads per query; the median is reported.</summary>
    public int Repeats { get; init; } = 31;

    public string? RecordKey { get; init; } = "pages";

    public static PagesBenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new PagesBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            options = args[i] switch
            {
                "--entries" => options with { Entries = BenchArguments.Number(Value(), 100) },
                "--per-page" => options with { PerPage = BenchArguments.Number(Value(), 1) },
                "--page" => options with { DeepPage = BenchArguments.Number(Value(), 2) },
                "--repeats" => options with { Repeats = BenchArguments.Number(Value(), 1) },
                "--record" => options with { RecordKey = Value() },
                "--no-record" => options with { RecordKey = null },
                _ => throw new ArgumentException($"unknown argument {args[i]}. {Usage}"),
            };
        }

        if ((long)options.PerPage * options.DeepPage > options.Entries)
        {
            throw new ArgumentException($"page {options.DeepPage} of {options.PerPage} is beyond {options.Entries:N0} entries");
        }

        BenchArguments.CheckRecordKey(options.RecordKey);

        return options;
    }
}
