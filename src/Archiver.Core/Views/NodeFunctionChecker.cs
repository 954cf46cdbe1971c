using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Archiver.Views;

/// <summary>
/// Checks functions with Node's parser (<c>node -e</c> with the embedded <c>check-functions.js</c>),
/// which every machine that runs Archiver has: CouchDB 3 would refuse a broken function on upload,
/// but pouchdb-server accepts it and then returns no rows, so the check has to happen here.
/// </summary>
public sealed class NodeFunctionChecker(IOptions<ViewsOptions> options) : IFunctionChecker
{
    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(NodeFunctionChecker).Assembly.GetManifestResourceStream("Archiver.Views.check-functions.js")
            ?? throw new InvalidOperationException("the embedded check-functions.js is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public async Task<IReadOnlyList<FunctionProblem>> CheckAsync(IReadOnlyList<FunctionSource> functions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functions);
        if (functions.Count == 0)
        {
            return [];
        }

        var node = options.Value.Node;
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Script.Value);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ArchiverException($"could not start {node} to check the view functions");
        }
        catch (Win32Exception ex)
        {
            throw new ArchiverConfigurationException(
                $"configuration error: Views:Node: cannot run '{node}' to check the view functions ({ex.Message}); install Node.js or name its path", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await using (var stdin = process.StandardInput.ConfigureAwait(false))
            {
                await process.StandardInput.WriteAsync(JsonSerializer.Serialize(functions.Select(f => new { file = f.File, source = f.Source }))).ConfigureAwait(false);
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var text = await output.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new ArchiverException($"{node} failed checking the view functions (exit {process.ExitCode}): {(await error.ConfigureAwait(false)).Trim()}");
            }

            using var document = JsonDocument.Parse(text);
            var sources = functions.ToDictionary(f => f.File, f => f.Source, StringComparer.Ordinal);
            return [.. document.RootElement.EnumerateArray().Select(problem =>
            {
                var file = problem.GetProperty("file").GetString()!;
                int? line = problem.GetProperty("line").ValueKind == JsonValueKind.Number ? problem.GetProperty("line").GetInt32() : null;

                // The wrapper's closing parenthesis sits on a line after the file's last one.
                var lines = sources[file].Split('\n').Length;
                return new FunctionProblem(file, line is { } l ? Math.Clamp(l, 1, lines) : null, problem.GetProperty("message").GetString() ?? "");
            })];
        }
    }
}
