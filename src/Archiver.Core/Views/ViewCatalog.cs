using System.Text.RegularExpressions;

namespace Archiver.Views;

/// <summary>
/// Reads the <c>views/</c> tree (the couchapp layout):
/// <c>views/&lt;database&gt;/&lt;ddoc&gt;/views/&lt;view&gt;/map.js</c>, optional <c>reduce.js</c> (a
/// function, or a built-in reducer by name), optional <c>&lt;ddoc&gt;/validate_doc_update.js</c>.
/// Every function is compiled by the checker before anything is returned, so a broken one is
/// refused with its file and line before any upload.
/// </summary>
public static partial class ViewCatalog
{
    /// <summary>The built-in reducers both CouchDB 3 and pouchdb-server run natively.</summary>
    public static readonly IReadOnlySet<string> BuiltInReducers = new HashSet<string>(["_sum", "_count", "_stats"], StringComparer.Ordinal);

    public static async Task<IReadOnlyList<ViewFolder>> LoadAsync(string directory, IFunctionChecker checker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checker);
        var root = Path.GetFullPath(directory);
        var display = new Display(root);
        if (!Directory.Exists(root))
        {
            throw new ViewSourceException(root, null, "no such folder: the design documents live under views/ (Views:Directory)");
        }

        var functions = new List<FunctionSource>();
        var folders = new List<ViewFolder>();
        foreach (var databaseDirectory in SubDirectories(root))
        {
            var databaseName = Path.GetFileName(databaseDirectory);
            if (!DatabaseFolderName().IsMatch(databaseName))
            {
                throw new ViewSourceException(display.Of(databaseDirectory), null, "a database folder is named after an archive set's table (lower-case letters, digits and _), with .rollups for the set's rollup database");
            }

            RefuseFiles(databaseDirectory, display, "a database folder holds only design document folders");
            var designs = new List<DesignDocument>();
            foreach (var designDirectory in SubDirectories(databaseDirectory))
            {
                designs.Add(await ReadDesignAsync(designDirectory, display, functions, cancellationToken).ConfigureAwait(false));
            }

            folders.Add(new ViewFolder(databaseName, designs));
        }

        RefuseFiles(root, display, "views/ holds only database folders");
        var problems = await checker.CheckAsync(functions, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            var first = problems[0];
            var more = problems.Count > 1 ? $" (and {problems.Count - 1} more: {string.Join(", ", problems.Skip(1).Select(p => p.Line is { } l ? $"{p.File}:{l}" : p.File))})" : "";
            throw new ViewSourceException(first.File, first.Line, $"does not compile: {first.Message}{more}");
        }

        return folders;
    }

    private static async Task<DesignDocument> ReadDesignAsync(string designDirectory, Display display, List<FunctionSource> functions, CancellationToken cancellationToken)
    {
        var designName = Path.GetFileName(designDirectory);
        if (!DesignName().IsMatch(designName))
        {
            throw new ViewSourceException(display.Of(designDirectory), null, "a design document folder name is letters, digits, _ and - only");
        }

        RefuseFiles(designDirectory, display, "a design document folder holds views/ and optionally validate_doc_update.js", "validate_doc_update.js");
        foreach (var other in SubDirectories(designDirectory).Where(d => Path.GetFileName(d) != "views"))
        {
            throw new ViewSourceException(display.Of(other), null, "unexpected folder: a design document folder holds views/ and optionally validate_doc_update.js");
        }

        var viewsDirectory = Path.Combine(designDirectory, "views");
        if (!Directory.Exists(viewsDirectory) || !SubDirectories(viewsDirectory).Any())
        {
            throw new ViewSourceException(display.Of(designDirectory), null, "a design document needs at least one views/<view>/map.js");
        }

        RefuseFiles(viewsDirectory, display, "views/ of a design document holds only view folders");
        var views = new Dictionary<string, ViewDefinition>(StringComparer.Ordinal);
        foreach (var viewDirectory in SubDirectories(viewsDirectory))
        {
            var viewName = Path.GetFileName(viewDirectory);
            if (!DesignName().IsMatch(viewName))
            {
                throw new ViewSourceException(display.Of(viewDirectory), null, "a view folder name is letters, digits, _ and - only");
            }

            RefuseFiles(viewDirectory, display, "a view folder holds map.js and optionally reduce.js", "map.js", "reduce.js");
            var mapFile = Path.Combine(viewDirectory, "map.js");
            if (!File.Exists(mapFile))
            {
                throw new ViewSourceException(display.Of(mapFile), null, "missing: every view needs a map function");
            }

            var map = await ReadFunctionAsync(mapFile, display, functions, cancellationToken).ConfigureAwait(false);
            string? reduce = null;
            var reduceFile = Path.Combine(viewDirectory, "reduce.js");
            if (File.Exists(reduceFile))
            {
                var text = Normalise(await File.ReadAllTextAsync(reduceFile, cancellationToken).ConfigureAwait(false));
                if (text.StartsWith('_'))
                {
                    reduce = BuiltInReducers.Contains(text)
                        ? text
                        : throw new ViewSourceException(display.Of(reduceFile), 1, $"unknown built-in reducer '{text}' (use {string.Join(", ", BuiltInReducers.Order(StringComparer.Ordinal))}, or write a function)");
                }
                else
                {
                    reduce = await ReadFunctionAsync(reduceFile, display, functions, cancellationToken).ConfigureAwait(false);
                }
            }

            views[viewName] = new ViewDefinition(map, reduce);
        }

        var validateFile = Path.Combine(designDirectory, "validate_doc_update.js");
        var validate = File.Exists(validateFile) ? await ReadFunctionAsync(validateFile, display, functions, cancellationToken).ConfigureAwait(false) : null;
        return new DesignDocument(designName, views, validate, display.Of(designDirectory));
    }

    private static async Task<string> ReadFunctionAsync(string file, Display display, List<FunctionSource> functions, CancellationToken cancellationToken)
    {
        var text = Normalise(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));

        // Both servers wrap the text in parentheses (pouchdb-server in "return (...)"), so a comment
        // before or after the function would break it on one of them: comments go inside.
        if (!text.StartsWith("function", StringComparison.Ordinal) || !text.EndsWith('}'))
        {
            throw new ViewSourceException(display.Of(file), 1, "must hold exactly one function expression, from 'function' to its closing '}' (comments go inside it)");
        }

        functions.Add(new FunctionSource(display.Of(file), text));
        return text;
    }

    /// <summary>Line endings as LF and no surrounding blank space, so the hash is the same on every checkout.</summary>
    private static string Normalise(string text) => text.ReplaceLineEndings("\n").Trim();

    private static IEnumerable<string> SubDirectories(string directory) =>
        Directory.GetDirectories(directory).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal);

    /// <summary>Files other than the expected ones (and README files) are refused, so a misplaced function is never silently left out.</summary>
    private static void RefuseFiles(string directory, Display display, string rule, params string[] allowed)
    {
        foreach (var file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (!allowed.Contains(name, StringComparer.Ordinal) && !name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !name.StartsWith('.'))
            {
                throw new ViewSourceException(display.Of(file), null, $"unexpected file: {rule}");
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.rollups)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseFolderName();

    [GeneratedRegex("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DesignName();

    /// <summary>Paths as people see them: relative to the folder that holds <c>views/</c>.</summary>
    private sealed class Display(string root)
    {
        private readonly string _base = Path.GetDirectoryName(root) ?? root;

        public string Of(string path) => Path.GetRelativePath(_base, path).Replace('\\', '/');
    }
}
