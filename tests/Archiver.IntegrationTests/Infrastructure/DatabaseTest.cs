namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>Base for tests that need their own pair of databases.</summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    private TestDatabases? _databases;

    protected TestDatabases Db => _databases ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        _databases = await TestDatabases.CreateAsync();
        await InitializeDatabasesAsync();
    }

    /// <summary>Runs once the databases exist, before the test.</summary>
    protected virtual Task InitializeDatabasesAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_databases is not null)
        {
            await _databases.DisposeAsync();
        }
    }
}
