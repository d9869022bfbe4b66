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
    public async Task WaitForAsync(TimeSpan timeout, params string[] parts)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!_lines.Any(line => parts.All(part => line.Contains(part, StringComparison.Ordinal))))
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Worker {_worker} did not log a line with \"{string.Join("\", \"", parts)}\" within {timeout.TotalSeconds} s. Its log:\n{string.Join('\n', _lines)}");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

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
