using Microsoft.Extensions.Logging;

namespace MyVpn.Sim;

/// <summary>
/// Engine log lines stamped with virtual time, written next to the trace for <c>run --seed</c>.
/// Not part of the trace's fingerprint: turning logging on does not change a run.
/// </summary>
internal sealed class EngineLog(SimClock clock, TextWriter output, string hostName) : ILoggerProvider
{
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(clock, output, $"{hostName} {categoryName[(categoryName.LastIndexOf('.') + 1)..]}");

    /// <summary>A logger for the engine of type <typeparamref name="T"/> on <paramref name="host"/>.</summary>
    public static ILogger<T>? For<T>(SimHost host, TextWriter? output) =>
        output is null ? null : new EngineLog(host.Network.Clock, output, host.Name).CreateFactory().CreateLogger<T>();

    public void Dispose()
    {
    }

    private sealed class Logger(SimClock clock, TextWriter output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            output.WriteLine($"t={Trace.FormatTime(clock.Events.Now)} log {category} {logLevel}: {formatter(state, exception)}");
    }
}
