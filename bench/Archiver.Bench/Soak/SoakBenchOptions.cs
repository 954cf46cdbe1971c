namespace Archiver.Bench.Soak;

/// <summary>Options of the worker soak (<c>bench/soak.sh</c>, or <c>archiver-bench soak …</c>).</summary>
internal sealed record SoakBenchOptions
{
    public const string Usage = "usage: bench/soak.sh [--jobs N] [--warm-up N] [--record KEY | --no-record]";

    /// <summary>Campaign jobs measured, each archiving a tiny campaign of its own.</summary>
    public int Jobs { get; init; } = 2_000;

    /// <summary>Jobs run before the first heap figure: JIT, pools and first-use caches settle in them.</summary>
    public int WarmUp { get; init; } = 50;

    public string? RecordKey { get; init; } = "soak";

    public static SoakBenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SoakBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            options = args[i] switch
            {
                "--jobs" => options with { Jobs = BenchArguments.Number(Value(), 4) },
                "--warm-up" => options with { WarmUp = BenchArguments.Number(Value(), 1) },
                "--record" => options with { RecordKey = Value() },
                "--no-record" => options with { RecordKey = null },
                _ => throw new ArgumentException($"unknown argument {args[i]}. {Usage}"),
            };
        }

        BenchArguments.CheckRecordKey(options.RecordKey);
        return options;
    }
}
