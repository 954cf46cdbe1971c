using Archiver.Bench;

// Thin entry point: bench/run.sh starts the services, builds Release and runs this with its arguments;
// bench/views.sh runs the separate views measurement as `archiver-bench views …`, bench/pages.sh the
// deep-page measurement as `archiver-bench pages …`, bench/soak.sh the worker soak as `archiver-bench soak …`,
// bench/sink.sh the discard-sink phase alone as `archiver-bench sink …`.
if (args.Length > 0 && args[0] is "views" or "pages" or "soak" or "sink")
{
    Func<Task<int>> measurement;
    try
    {
        if (args[0] == "views")
        {
            var views = new Archiver.Bench.Views.ViewsBenchmark(Archiver.Bench.Views.ViewsBenchOptions.Parse(args[1..]));
            measurement = () => views.RunAsync();
        }
        else if (args[0] == "pages")
        {
            var pages = new Archiver.Bench.Pages.PagesBenchmark(Archiver.Bench.Pages.PagesBenchOptions.Parse(args[1..]));
            measurement = () => pages.RunAsync();
        }
        else if (args[0] == "sink")
        {
            var sink = new Archiver.Bench.SinkOnly.SinkBenchmark(Archiver.Bench.SinkOnly.SinkBenchOptions.Parse(args[1..]));
            measurement = () => sink.RunAsync();
        }
        else
        {
            var soak = new Archiver.Bench.Soak.SoakBenchmark(Archiver.Bench.Soak.SoakBenchOptions.Parse(args[1..]));
            measurement = () => soak.RunAsync();
        }
    }
    catch (ArgumentException ex)
    {
        await Console.Error.WriteLineAsync("bench: " + ex.Message).ConfigureAwait(false);
        return 2;
    }

    return await measurement().ConfigureAwait(false);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync("bench: " + ex.Message).ConfigureAwait(false);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Stop the child process and the sink cleanly rather than leave them behind.
    e.Cancel = true;
    cancellation.Cancel();
};
try
{
    return await new BenchRunner(options).RunAsync(cancellation.Token).ConfigureAwait(false);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("bench: cancelled").ConfigureAwait(false);
    return 130;
}
#pragma warning disable CA1031 // The harness's last word: which phase broke and why, then a non-zero exit.
catch (Exception ex)
#pragma warning restore CA1031
{
    await Console.Error.WriteLineAsync($"bench: failed: {ex.GetType().Name}: {ex.Message}{Environment.NewLine}{ex.StackTrace}").ConfigureAwait(false);
    return 1;
}
