namespace Archiver.Web;

/// <summary>The web host run on its own (<c>dotnet Archiver.Web.dll</c>); <c>archiver serve</c> runs the same host.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static Task<int> Main(string[] args) => ArchiverWebHost.RunAsync(args);
}
