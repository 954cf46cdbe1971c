using Archiver.Views;

namespace Archiver.UnitTests.Views;

/// <summary>The views/ layout rules and design document hashes; functions are compiled by the real Node checker (Node is on every machine).</summary>
public sealed class ViewCatalogTests : IDisposable
{
    private static readonly NodeFunctionChecker Checker = new(Microsoft.Extensions.Options.Options.Create(new ViewsOptions()));
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"archiver_unit_views_{Guid.NewGuid():N}", "views");

    private const string Map = "function (doc) {\n  emit(doc._id, 1);\n}\n";

    public ViewCatalogTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    private ViewCatalogTests Write(string relativePath, string text)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    private Task<IReadOnlyList<ViewFolder>> LoadAsync() => ViewCatalog.LoadAsync(_root, Checker);

    [Fact]
    public async Task Reads_views_built_in_reducers_and_validate_doc_update_into_design_documents()
    {
        Write("sales/stats/views/by_day/map.js", Map).Write("sales/stats/views/by_day/reduce.js", "_sum\n")
            .Write("sales/stats/views/all/map.js", Map)
            .Write("sales/stats/validate_doc_update.js", "function (newDoc, oldDoc, userCtx) {\n}\n");

        var folder = Assert.Single(await LoadAsync());

        Assert.Equal("sales", folder.Name);
        var design = Assert.Single(folder.Designs);
        Assert.Equal("_design/stats", design.Id);
        Assert.Equal(["all", "by_day"], design.Views.Keys.ToArray());
        Assert.Equal("_sum", design.Views["by_day"].Reduce);
        Assert.Null(design.Views["all"].Reduce);
        Assert.Equal("function (doc) {\n  emit(doc._id, 1);\n}", design.Views["all"].Map);
        Assert.NotNull(design.ValidateDocUpdate);
        Assert.Equal("views/sales/stats", design.Source);
    }

    [Fact]
    public async Task The_shipped_views_folder_loads()
    {
        var root = Path.Combine(FindRepositoryRoot(), "views");
        var folders = await ViewCatalog.LoadAsync(root, Checker);

        Assert.Equal(["contest_campaign_entries", "contest_campaign_entries.rollups", "vote_campaign_votes", "vote_campaign_votes.rollups"], folders.Select(f => f.Name).ToArray());
        Assert.All(folders.SelectMany(f => f.Designs).SelectMany(d => d.Views.Values), v => Assert.True(v.Reduce is null || ViewCatalog.BuiltInReducers.Contains(v.Reduce)));
    }

    [Fact]
    public async Task A_map_that_does_not_compile_is_refused_with_file_and_line()
    {
        Write("sales/stats/views/ok/map.js", Map).Write("sales/stats/views/broken/map.js", "function (doc) {\n  var x = ;\n}\n");

        var error = await Assert.ThrowsAsync<ViewSourceException>(LoadAsync);

        Assert.Equal("views/sales/stats/views/broken/map.js", error.File);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task A_reduce_function_that_does_not_compile_is_refused_too()
    {
        Write("sales/stats/views/v/map.js", Map).Write("sales/stats/views/v/reduce.js", "function (keys, values, rereduce) {\n  return sum(values;\n}\n");

        var error = await Assert.ThrowsAsync<ViewSourceException>(LoadAsync);

        Assert.Equal("views/sales/stats/views/v/reduce.js", error.File);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task An_unknown_built_in_reducer_is_refused_by_name()
    {
        Write("sales/stats/views/v/map.js", Map).Write("sales/stats/views/v/reduce.js", "_approx_count_distinct\n");

        var error = await Assert.ThrowsAsync<ViewSourceException>(LoadAsync);

        Assert.Contains("unknown built-in reducer '_approx_count_distinct'", error.Message, StringComparison.Ordinal);
        Assert.Equal("views/sales/stats/views/v/reduce.js", error.File);
    }

    [Fact]
    public async Task A_comment_outside_the_function_is_refused_because_one_server_would_break_on_it()
    {
        Write("sales/stats/views/v/map.js", "// counts\n" + Map);

        var error = await Assert.ThrowsAsync<ViewSourceException>(LoadAsync);

        Assert.Contains("exactly one function expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Something_that_is_not_a_function_is_refused()
    {
        Write("sales/stats/views/v/map.js", "function () {} + 1 && function () {}");

        var error = await Assert.ThrowsAsync<ViewSourceException>(LoadAsync);

        Assert.Contains("is not a function expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_view_without_map_and_a_stray_file_are_refused_with_their_paths()
    {
        Write("sales/stats/views/v/reduce.js", "_sum");
        var missing = await Assert.ThrowsAsync<ViewSourceException>(LoadAsync);
        Assert.Equal("views/sales/stats/views/v/map.js", missing.File);

        Write("sales/stats/views/v/map.js", Map).Write("sales/stats/views/v/mapp.js", Map);
        var stray = await Assert.ThrowsAsync<ViewSourceException>(LoadAsync);
        Assert.Equal("views/sales/stats/views/v/mapp.js", stray.File);
    }

    [Fact]
    public async Task The_hash_follows_the_functions_and_ignores_line_endings_and_the_archiver_member()
    {
        Write("sales/stats/views/v/map.js", Map);
        var first = Assert.Single(Assert.Single(await LoadAsync()).Designs);
        Write("sales/stats/views/v/map.js", Map.Replace("\n", "\r\n", StringComparison.Ordinal));
        var crlf = Assert.Single(Assert.Single(await LoadAsync()).Designs);
        Write("sales/stats/views/v/map.js", Map.Replace("1", "2", StringComparison.Ordinal));
        var changed = Assert.Single(Assert.Single(await LoadAsync()).Designs);

        Assert.Equal(first.Hash, crlf.Hash);
        Assert.NotEqual(first.Hash, changed.Hash);
        using var uploaded = System.Text.Json.JsonDocument.Parse(first.ToJson("_design/stats.staging", "1-abc"));
        Assert.Equal(first.Hash, DesignDocument.FromJson("stats", uploaded.RootElement).Hash);
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("\"1234-g1AAAAFTeJzLYWBg4MhgTmHgz8tPSTV0MDQy\"", null)]
    [InlineData("1234-g1AAAA", null)]
    [InlineData("now", null)]
    public void Only_pouchdb_servers_integer_sequences_are_read_as_numbers_CouchDBs_stay_opaque(string seq, long? expected) =>
        Assert.Equal(expected, ViewStatusReader.SequenceNumber(seq));

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Archiver.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("no Archiver.sln above the test output");
    }
}
