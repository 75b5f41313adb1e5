using MyVpn.Io;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>An <see cref="IStreamHandler"/> that writes down what happened to its connection.</summary>
internal sealed class RecordingStreamHandler : IStreamHandler
{
    public List<string> Events { get; } = [];
    public List<byte> Received { get; } = [];
    public bool IsConnected => Events.Contains("connected");
    public bool IsClosed => Events.Contains("closed");

    public void OnConnected() => Events.Add("connected");

    public void OnData(ReadOnlySpan<byte> data)
    {
        Events.Add($"data {data.Length}");
        Received.AddRange(data.ToArray());
    }

    public void OnClosed() => Events.Add("closed");
}
