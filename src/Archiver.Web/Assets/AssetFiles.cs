
namespace Archiver.Web.Assets;

/// <summary>The vendored stylesheet, served from the assembly and kept by browsers for a day.</summary>
internal static class AssetFiles
{
    private static readonly Lazy<byte[]> Stylesheet = new(() =>
    {
        using var stream = typeof(AssetFiles).Assembly.GetManifestResourceStream("Archiver.Web.Assets.site.css")
            ?? throw new InvalidOperationException("Archiver.Web.Assets.site.css is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static Task StylesheetAsync(HttpContext context) =>
        Pages.Responses.WriteAsync(context, Stylesheet.Value, "text/css; charset=utf-8", TimeSpan.FromDays(1));
}
