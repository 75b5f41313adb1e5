using Microsoft.Extensions.Logging;

namespace MyVpn.Tests.Unit.Support;

/// <summary>A logger that keeps every formatted line (level, message), for tests that count or read log lines.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public IEnumerable<string> Warnings => Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Message);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
            _lines.Add((logLevel, formatter(state, exception)));
    }
}
