namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>Files of the checkout the tests run from (found upward from the test output folder).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string File(string relativePath) => Path.Combine(Root, relativePath);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "Archiver.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Archiver.sln above {AppContext.BaseDirectory}");
    }
}
