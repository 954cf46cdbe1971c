namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>A throw-away <c>views/</c> tree for one test, deleted afterwards.</summary>
public sealed class ViewFiles : IDisposable
{
    public ViewFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), $"archiver_test_views_{Guid.NewGuid():N}", "views");
        Directory.CreateDirectory(Root);
    }

    /// <summary>The <c>views</c> folder.</summary>
    public string Root { get; }

    /// <summary>Writes <paramref name="text"/> to <c>views/</c><paramref name="relativePath"/>, creating folders.</summary>
    public ViewFiles Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
}
