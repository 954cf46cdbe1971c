using Microsoft.Extensions.Logging;

namespace Archiver.UnitTests.Fakes;

/// <summary>Keeps the category, event id and text of every message any logger of the container wrote.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<(string Category, EventId EventId, string Message)> _entries = [];

    public IReadOnlyList<(string Category, EventId EventId, string Message)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (provider._gate)
            {
                provider._entries.Add((category, eventId, formatter(state, exception)));
            }
        }
    }
}
