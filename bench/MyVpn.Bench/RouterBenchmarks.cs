using BenchmarkDotNet.Attributes;
using MyVpn.Net;
using MyVpn.Server;

namespace MyVpn.Bench;

/// <summary>
/// The server's route decision for one inner packet, as its data path makes it: <see cref="Router"/>
/// reads the addresses and decides, then the destination client's session is looked up by address in a
/// table of 1,000 sessions (a Dictionary keyed by the address's value, as the server keeps it).
/// </summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private const int Sessions = 1000;

    private readonly Router _router = new(IPv4Subnet.Parse("10.0.0.0/16"), IPv4Address.Parse("10.0.0.1"),
        new ReachPolicy(IPv4Subnet.Parse("10.0.0.0/16"), IPv4Address.Parse("10.0.0.1"), [], [], [], clientToClient: true));
    private readonly Dictionary<uint, object> _byAddress = [];
    private readonly IPv4Address _client = IPv4Address.Parse("10.0.0.2");
    private byte[] _toClient = null!;
    private byte[] _toInternet = null!;
    private byte[] _fromTun = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (uint i = 0; i < Sessions; i++)
            _byAddress[IPv4Address.Parse("10.0.0.2").Value + i] = new object();
        _toClient = Packet("10.0.0.2", "10.0.3.200");
        _toInternet = Packet("10.0.0.2", "203.0.113.8");
        _fromTun = Packet("203.0.113.8", "10.0.2.7");
    }

    /// <summary>Client to client: checked source, destination in the subnet, session found.</summary>
    [Benchmark]
    public bool ClientToClient() => Lookup(_router.FromClient(_toClient, _client));

    /// <summary>Client to the internet: checked source, destination outside the subnet, to tun.</summary>
    [Benchmark]
    public RouteKind ClientToInternet() => _router.FromClient(_toInternet, _client).Kind;

    /// <summary>A reply the server's kernel wrote to tun, for a client: session found.</summary>
    [Benchmark]
    public bool TunToClient() => Lookup(_router.FromTun(_fromTun));

    private bool Lookup(Route route) =>
        route.Kind == RouteKind.ToClient && _byAddress.TryGetValue(route.Destination.Value, out _);

    /// <summary>A 1420-byte IPv4/UDP packet from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    private static byte[] Packet(string source, string destination)
    {
        var packet = new byte[1420];
        packet[0] = 0x45;
        packet[2] = 1420 >> 8;
        packet[3] = 1420 & 0xff;
        packet[8] = 64;
        packet[9] = 17;
        IPv4Address.Parse(source).Write(packet.AsSpan(12));
        IPv4Address.Parse(destination).Write(packet.AsSpan(16));
        return packet;
    }
}
