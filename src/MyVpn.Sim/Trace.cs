using System.Security.Cryptography;
using System.Text;

namespace MyVpn.Sim;

/// <summary>
/// The record of a run: one line per event on the simulated wire (and per scenario note), hashed as
/// it grows. The SHA-256 of all lines is the run's <see cref="Fingerprint"/>: the same seed gives the
/// same lines, byte for byte. Observers (the checkers) see every wire event with its full bytes.
/// </summary>
internal sealed class Trace
{
    private const int TailCapacity = 40;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<string>? _lines;
    private readonly Queue<string> _tail = new();
    private readonly List<Action<WireEvent>> _observers = [];
    private readonly List<TextWriter> _copies = [];

    /// <param name="keepLines">Keep every line (for printing or comparing); otherwise only the last few.</param>
    public Trace(bool keepLines = true)
    {
        _lines = keepLines ? [] : null;
    }

    public long LineCount { get; private set; }

    /// <summary>Every line so far (empty unless the trace keeps lines).</summary>
    public IReadOnlyList<string> Lines => _lines ?? [];

    /// <summary>Also write each line here as it is recorded (for <c>run --seed</c>).</summary>
    public TextWriter? Echo { get; set; }

    /// <summary>Hex SHA-256 of all lines so far.</summary>
    public string Fingerprint => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Observe(Action<WireEvent> observer) => _observers.Add(observer);

    /// <summary>Also write every line from now on to <paramref name="writer"/> (<c>run --trace FILE</c>).</summary>
    public void CopyTo(TextWriter writer) => _copies.Add(writer);

    public void Record(WireEvent e)
    {
        Append(Format(e));
        foreach (var observer in _observers)
            observer(e);
    }

    /// <summary>A scenario event (restart, roam, ping…): part of the trace and of its fingerprint.</summary>
    public void Note(long time, string text) => Append($"t={FormatTime(time)} note {text}");

    /// <summary>The last lines recorded (up to 40).</summary>
    public IReadOnlyList<string> Tail(int count) => _tail.Skip(Math.Max(0, _tail.Count - count)).ToList();

    private void Append(string line)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        _lines?.Add(line);
        _tail.Enqueue(line);
        if (_tail.Count > TailCapacity)
            _tail.Dequeue();
        LineCount++;
        Echo?.WriteLine(line);
        foreach (var copy in _copies)
            copy.WriteLine(line);
    }

    /// <summary>Seconds with microseconds, from integer ticks (no floating point in the trace).</summary>
    public static string FormatTime(long ticks) => $"{ticks / TimeSpan.TicksPerSecond}.{ticks % TimeSpan.TicksPerSecond / 10:D6}";

    private static string Format(WireEvent e)
    {
        var kind = e.Kind switch { WireKind.Udp => "udp", WireKind.Tcp => "tcp", _ => "ip " };
        var source = e.Kind == WireKind.Ip ? e.Source.AddressText : e.Source.ToString();
        var target = e.Kind == WireKind.Ip ? e.Target.AddressText : e.Target.ToString();
        var detail = e.Detail.Length > 0 ? " " + e.Detail : "";
        return $"t={FormatTime(e.Time)} {kind} {e.SourceHost} {source} > {e.TargetHost} {target}{detail} " +
               $"{e.Bytes.Length}B #{Digest(e.Bytes):x8} {e.Outcome}";
    }

    /// <summary>FNV-1a of the bytes: enough to make the fingerprint depend on every byte sent.</summary>
    private static uint Digest(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
            hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
