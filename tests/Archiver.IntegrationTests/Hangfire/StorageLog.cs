using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>A logger factory that keeps every entry the storage logs, to count retried deadlocks and lost leases.</summary>
public sealed class StorageLog : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries => [.. _entries];

    public int Count(int eventId) => _entries.Count(e => e.Id.Id == eventId);

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId, logLevel, formatter(state, exception)));

    public void Dispose()
    {
    }
}
