using Microsoft.Extensions.Logging;

namespace Archiver.IntegrationTests.Infrastructure;

/// <summary>Every category logs to one logger: what a component's pipeline logs lands beside what the component logs.</summary>
public sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
