using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>Keeps every log line of an in-process worker, so a test can wait for what the worker says it did.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly string _worker;

    public LogRecorder(string worker) => _worker = worker;

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>Waits until a line contains every one of <paramref name="parts"/>.</summary>
    public Task WaitForAsync(TimeSpan timeout, params string[] parts) =>
        Poll.UntilAsync(() => Task.FromResult(_lines.Any(line => parts.All(part => line.Contains(part, StringComparison.Ordinal)))),
            timeout, $"worker {_worker} to log a line with \"{string.Join("\", \"", parts)}\"", () => $"Its log:\n{string.Join('\n', _lines)}");

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
        }
    }
}
