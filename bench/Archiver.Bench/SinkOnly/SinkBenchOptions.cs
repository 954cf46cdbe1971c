namespace Archiver.Bench.SinkOnly;

/// <summary>Options of the discard-sink phase run on its own (<c>bench/sink.sh</c>, or <c>archiver-bench sink …</c>).</summary>
internal sealed record SinkBenchOptions
{
    public const string Usage = "usage: bench/sink.sh [--entries N] [--runs N] [--reuse] [--trace FILE.nettrace] [--env NAME=VALUE]... [--cli PATH/archiver.dll]";

    /// <summary>Entries of the campaign archived into the sink.</summary>
    public int Entries { get; init; } = 200_000;

    /// <summary>Measured runs, one after the other, on the same data (the campaign is un-archived between them).</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Keeps the seeded database when it already holds a campaign of <see cref="Entries"/> entries.</summary>
    public bool Reuse { get; init; }

    /// <summary>When set, each run is traced by <c>dotnet-trace collect</c> into this file (the run's figures then include the tracing's cost).</summary>
    public string? TraceFile { get; init; }

    /// <summary>Extra environment variables of the CLI only (e.g. a runtime knob being compared), not of the harness and its sink.</summary>
    public IReadOnlyDictionary<string, string> ChildEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Another build of the CLI to measure (e.g. main's, for a before/after in one sitting); the worktree's when null.</summary>
    public string? Cli { get; init; }

    public static SinkBenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SinkBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            options = args[i] switch
            {
                "--entries" => options with { Entries = BenchArguments.Number(Value(), 1000, "number of entries") },
                "--runs" => options with { Runs = BenchArguments.Number(Value(), 1, "number of runs") },
                "--reuse" => options with { Reuse = true },
                "--env" => options with
                {
                    ChildEnvironment = Value() is var pair && pair.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals
                        ? new Dictionary<string, string>(options.ChildEnvironment) { [pair[..equals]] = pair[(equals + 1)..] }
                        : throw new ArgumentException($"--env takes NAME=VALUE, not {args[i]}"),
                },
                "--cli" => options with { Cli = File.Exists(Value()) ? Path.GetFullPath(args[i]) : throw new ArgumentException($"--cli: no such file {args[i]}") },
                "--trace" => options with { TraceFile = Path.GetFullPath(Value()) },
                _ => throw new ArgumentException($"unknown argument {args[i]}. {Usage}"),
            };
        }

        return options;
    }
}
