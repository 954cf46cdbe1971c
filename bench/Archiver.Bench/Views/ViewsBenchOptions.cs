namespace Archiver.Bench.Views;

/// <summary>Options of the views benchmark (<c>bench/views.sh</c>, or <c>archiver-bench views …</c>).</summary>
internal sealed record ViewsBenchOptions
{
    public const string Usage = "usage: bench/views.sh [--entries N] [--repeats N] [--record KEY | --no-record]";

    public int Entries { get; init; } = 200_000;

    /// <summary>Queries per view and granularity; the median is reported.</summary>
    public int Repeats { get; init; } = 3;

    public string? RecordKey { get; init; } = "views";

    public static ViewsBenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new ViewsBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            options = args[i] switch
            {
                "--entries" => options with { Entries = BenchArguments.Number(Value(), 1000) },
                "--repeats" => options with { Repeats = BenchArguments.Number(Value(), 1) },
                "--record" => options with { RecordKey = Value() },
                "--no-record" => options with { RecordKey = null },
                _ => throw new ArgumentException($"unknown argument {args[i]}. {Usage}"),
            };
        }

        BenchArguments.CheckRecordKey(options.RecordKey);

        return options;
    }
}
