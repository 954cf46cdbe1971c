namespace Archiver.IntegrationTests.Web;

/// <summary>One <see cref="WebSite"/> for a test class, with its completed campaigns archived and purged.</summary>
public sealed class ArchivedWebSite : IAsyncLifetime
{
    private WebSite? _site;

    public WebSite Site => _site ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        _site = await WebSite.CreateAsync();
        await _site.ArchiveAndPurgeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
    }
}
