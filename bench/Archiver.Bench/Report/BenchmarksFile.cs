namespace Archiver.Bench.Report;

/// <summary>
/// Writes a run's section into BENCHMARKS.md without touching anything else: a section lives
/// between <c>&lt;!-- bench-run:begin KEY --&gt;</c> and <c>&lt;!-- bench-run:end KEY --&gt;</c>; a run
/// replaces the section with its key (default <c>dev</c>) or appends one. Hand-written text around
/// the sections is kept as it is.
/// </summary>
internal static class BenchmarksFile
{
    public const string FileName = "BENCHMARKS.md";

    public const string Header = """
        # Benchmarks

        Measured by `./bench/run.sh` (see [bench/README.md](bench/README.md)). Each section between
        `bench-run` marker comments is written by the harness, and a later run with the same
        `--record` key replaces it; text outside the markers is never touched.

        """;

    public static string Begin(string key) => $"<!-- bench-run:begin {key} -->";

    public static string End(string key) => $"<!-- bench-run:end {key} -->";

    /// <summary>Records <paramref name="section"/> under <paramref name="key"/> in the repository's BENCHMARKS.md and says so.</summary>
    public static async Task RecordAsync(string root, string key, string section, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, FileName);
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
        await File.WriteAllTextAsync(path, Upsert(existing, key, section), cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"recorded in {FileName}, section '{key}'");
    }

    /// <summary>The file's new text with <paramref name="section"/> (without markers) recorded under <paramref name="key"/>.</summary>
    public static string Upsert(string? existing, string key, string section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(section);
        var block = Begin(key) + "\n" + section.TrimEnd('\n') + "\n" + End(key) + "\n";
        var text = string.IsNullOrWhiteSpace(existing) ? Header : existing.Replace("\r\n", "\n", StringComparison.Ordinal);
        var begin = text.IndexOf(Begin(key), StringComparison.Ordinal);
        var end = text.IndexOf(End(key), StringComparison.Ordinal);
        if (begin < 0 && end < 0)
        {
            return text.TrimEnd('\n') + "\n\n" + block;
        }

        if (begin < 0 || end < begin)
        {
            // Half a section means someone edited the markers: refuse rather than guess what to overwrite.
            throw new InvalidOperationException($"{FileName}: the markers of section '{key}' are unbalanced ({Begin(key)} … {End(key)}); fix them by hand");
        }

        var after = end + End(key).Length;
        if (after < text.Length && text[after] == '\n')
        {
            after++;
        }

        return string.Concat(text.AsSpan(0, begin), block, text.AsSpan(after));
    }
}
