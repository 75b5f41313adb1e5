using MyVpn.Net;
using MyVpn.Sim.Checkers;

namespace MyVpn.Sim;

/// <summary>
/// The simulated WAN and the root of a run: hosts by public address, a link for each ordered pair of
/// hosts that talk, the clock, the seeded random source, the trace and the checkers. Everything that
/// crosses the wire goes through here, is traced, and arrives as a clock event.
/// </summary>
internal sealed class SimNetwork
{
    private readonly List<SimHost> _hosts = [];
    private readonly Dictionary<IPv4Address, SimHost> _byAddress = [];
    private readonly Dictionary<(int Source, int Target), SimLink> _links = [];
    private readonly List<SimLink> _linksInOrder = [];
    private readonly Dictionary<(int Source, int Target), LinkFaults> _faults = [];

    public SimNetwork(ulong seed, bool keepTrace = true)
    {
        Seed = seed;
        Random = new SimRandom(seed);
        Trace = new Trace(keepTrace);
        Deliveries = new DeliveryChecker(Pings, Violations);
        Plaintext = new PlaintextChecker(Violations);
        Trace.Observe(Plaintext.OnWire);
    }

    public ulong Seed { get; }
    public SimClock Clock { get; } = new();
    public SimRandom Random { get; }
    public Trace Trace { get; }
    public Violations Violations { get; } = new();
    public PingLedger Pings { get; } = new();
    public DeliveryChecker Deliveries { get; }
    public PlaintextChecker Plaintext { get; }

    /// <summary>Virtual time now, in ticks.</summary>
    public long Now => Clock.Events.Now;

    public IReadOnlyList<SimHost> Hosts => _hosts;

    /// <summary>What links get unless <see cref="SetFaults"/> says otherwise.</summary>
    public LinkFaults DefaultFaults { get; set; } = LinkFaults.None;

    /// <summary>
    /// Sees every UDP datagram a host sends, as it leaves the sender (before the link loses or duplicates it):
    /// the sender, source and target, the bytes, and how many copies the link will deliver (0: lost).
    /// For checkers that must see what each sender sealed (a test's nonce-reuse check).
    /// </summary>
    public Action<SimHost, NetEndpoint, NetEndpoint, byte[], int>? DatagramSent { get; set; }

    private readonly Dictionary<string, IPv4Address> _names = new(StringComparer.OrdinalIgnoreCase);

    public SimHost AddHost(string name, IPv4Address address)
    {
        if (_byAddress.ContainsKey(address))
            throw new InvalidOperationException($"{address} is already taken");
        var host = new SimHost(this, _hosts.Count, name, address);
        _hosts.Add(host);
        _byAddress.Add(address, host);
        return host;
    }

    public SimHost? HostAt(IPv4Address address) => _byAddress.GetValueOrDefault(address);

    /// <summary>
    /// Points <paramref name="name"/> at <paramref name="address"/> in the network's name table (a dynamic DNS
    /// update), or takes it out (null: the name no longer resolves). <see cref="SimResolver"/> answers from it.
    /// </summary>
    public void SetName(string name, IPv4Address? address)
    {
        Note(address is { } a ? $"name {name} -> {a}" : $"name {name} removed");
        if (address is { } value)
            _names[name] = value;
        else
            _names.Remove(name);
    }

    /// <summary>What <paramref name="name"/> resolves to now, if anything.</summary>
    public IPv4Address? LookUp(string name) => _names.TryGetValue(name, out var address) ? address : null;

    /// <summary>Sets the faults of both directions between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void SetFaults(SimHost a, SimHost b, LinkFaults faults)
    {
        _faults[(a.Index, b.Index)] = faults;
        _faults[(b.Index, a.Index)] = faults;
        if (_links.TryGetValue((a.Index, b.Index), out var ab)) ab.Faults = faults;
        if (_links.TryGetValue((b.Index, a.Index), out var ba)) ba.Faults = faults;
    }

    /// <summary>Heals the network: every link, present and future, becomes <paramref name="faults"/>, and partitions end.</summary>
    public void SetFaultsEverywhere(LinkFaults faults)
    {
        DefaultFaults = faults;
        _faults.Clear();
        foreach (var link in _linksInOrder)
        {
            link.Faults = faults;
            link.DownUntil = 0;
        }
    }

    /// <summary>Nothing crosses between <paramref name="a"/> and <paramref name="b"/>, either way, for <paramref name="duration"/>.</summary>
    public void Partition(SimHost a, SimHost b, TimeSpan duration)
    {
        var until = Now + duration.Ticks;
        foreach (var link in new[] { Link(a, b), Link(b, a) })
            link.DownUntil = Math.Max(link.DownUntil, until);
    }

    public SimLink Link(SimHost source, SimHost target)
    {
        var key = (source.Index, target.Index);
        if (!_links.TryGetValue(key, out var link))
        {
            var faults = _faults.GetValueOrDefault(key) ?? DefaultFaults;
            link = new SimLink(source, target, Random.Fork($"link:{source.Name}->{target.Name}"), faults);
            _links.Add(key, link);
            _linksInOrder.Add(link);
        }
        return link;
    }

    /// <summary>
    /// The host's public address becomes <paramref name="address"/> (NAT rebinding): its sockets keep
    /// their ports under the new address, its connections reset, and anything in flight to the old
    /// address is lost.
    /// </summary>
    public void ChangeAddress(SimHost host, IPv4Address address)
    {
        if (_byAddress.ContainsKey(address))
            throw new InvalidOperationException($"{address} is already taken");
        Note($"{host.Name} changes address {host.Address} -> {address}");
        _byAddress.Remove(host.Address);
        host.Address = address;
        _byAddress.Add(address, host);
        host.BreakStreams();
    }

    /// <summary>A line in the trace for a scenario event.</summary>
    public void Note(string text) => Trace.Note(Now, text);

    /// <summary>Starts a ping from <paramref name="from"/>; null when the host has no route to the target yet.</summary>
    public PingRecord? StartPing(SimHost from, IPv4Address target)
    {
        if (from.Stack.SourceFor(target) is not { } source)
            return null;
        var sequence = (ushort)(Pings.All.Count + 1);
        var record = Pings.Add(from, source, target, id: (ushort)(from.Index + 1), sequence, Now);
        Note($"ping #{record.Serial} {from.Name} {source} -> {target}");
        from.Stack.Originate(record.Request.ToPacket());
        return record;
    }

    private readonly Dictionary<IPv6Address, SimHost> _byAddress6 = [];
    private readonly List<(IPv6Subnet Subnet, SimHost Via)> _routes6 = [];

    /// <summary>Gives <paramref name="host"/> a public IPv6 address (the IPv6 internet host).</summary>
    public void AddAddress6(SimHost host, IPv6Address address)
    {
        _byAddress6.Add(address, host);
        host.Stack.PublicAddress6 = address;
    }

    /// <summary>IPv6 packets for <paramref name="subnet"/> go to <paramref name="via"/> (the VPN's IPv6 subnet, routed by the server).</summary>
    public void Route6(IPv6Subnet subnet, SimHost via) => _routes6.Add((subnet, via));

    private SimHost? HostFor6(IPv6Address address)
    {
        if (_byAddress6.TryGetValue(address, out var host))
            return host;
        foreach (var (subnet, via) in _routes6)
            if (subnet.Contains(address))
                return via;
        return null;
    }

    /// <summary>Starts an IPv6 ping from <paramref name="from"/>; null when the host has no route to the target yet.</summary>
    public Ping6Record? StartPing6(SimHost from, IPv6Address target)
    {
        if (from.Stack.SourceFor6(target) is not { } source)
            return null;
        var sequence = (ushort)(Pings.All6.Count + 1);
        var record = Pings.Add6(from, source, target, id: (ushort)(from.Index + 1), sequence, Now);
        Note($"ping #{record.Serial} {from.Name} {source} -> {target}");
        from.Stack.Originate(record.Request.ToPacket());
        return record;
    }

    /// <summary>A raw IPv6 packet (routed traffic to and from the IPv6 internet host) from a host's public interface.</summary>
    internal void SendIp6(SimHost from, IPv6Address target, byte[] packet)
    {
        var source = IPv6Address.Read(packet.AsSpan(IPv6Header.SourceOffset));
        SendUnreliable(WireKind.Ip, from, new NetEndpoint(source, 0), new NetEndpoint(target, 0), packet, ArriveIp, HostFor6(target));
    }

    internal void SendDatagram(SimHost from, NetEndpoint source, NetEndpoint target, ReadOnlySpan<byte> datagram) =>
        SendUnreliable(WireKind.Udp, from, source, target, datagram.ToArray(), ArriveDatagram);

    /// <summary>A raw IP packet (forwarded traffic, pings to and from the internet) from a host's public interface.</summary>
    internal void SendIp(SimHost from, IPv4Address target, byte[] packet)
    {
        IpHeader.TryRead(packet, out var header);
        SendUnreliable(WireKind.Ip, from, new NetEndpoint(header.Source, 0), new NetEndpoint(target, 0), packet, ArriveIp);
    }

    /// <summary>Datagrams and IP packets: the link decides each copy's fate; each arrival is a clock event.</summary>
    private void SendUnreliable(WireKind kind, SimHost from, NetEndpoint source, NetEndpoint target, byte[] bytes,
        Action<WireEvent> arrive, SimHost? to6 = null)
    {
        var now = Now;
        if ((target.IsIPv6 ? to6 : HostAt(target.Address)) is not { } to)
        {
            Trace.Record(new WireEvent(now, kind, from.Name, source, "?", target, bytes, "drop(unreachable)"));
            return;
        }
        var arrivals = Link(from, to).DecideDatagram(now);
        if (kind == WireKind.Udp)
            DatagramSent?.Invoke(from, source, target, bytes, arrivals.Count);
        if (arrivals.Count == 0 || arrivals[0].Kind != ArrivalKind.Deliver)
            Trace.Record(new WireEvent(now, kind, from.Name, source, to.Name, target, bytes, "drop(loss)"));
        foreach (var arrival in arrivals)
        {
            var sent = new WireEvent(now, kind, from.Name, source, to.Name, target, bytes, Describe(arrival));
            Trace.Record(sent);
            Clock.Schedule(arrival.Delay, () => arrive(sent));
        }
    }

    private void ArriveDatagram(WireEvent sent)
    {
        var to = HostAt(sent.Target.Address);
        if (to is null || !to.DeliverDatagram(sent.Source, sent.Target.Port, sent.Bytes))
            Trace.Record(sent with { Time = Now, TargetHost = to?.Name ?? "?", Outcome = to is null ? "drop(address-gone)" : "drop(port-closed)" });
    }

    private void ArriveIp(WireEvent sent)
    {
        if ((sent.Target.IsIPv6 ? HostFor6(sent.Target.IPv6) : HostAt(sent.Target.Address)) is { } to)
            to.Stack.FromWire(sent.Bytes);
        else
            Trace.Record(sent with { Time = Now, TargetHost = "?", Outcome = "drop(address-gone)" });
    }

    private readonly List<SimStreamEnd> _stalled = [];

    /// <summary>A segment of the handshake stream: reliable, and in order per connection, unless the sender's <see cref="StreamCut"/> strikes.</summary>
    internal void SendSegment(SimStreamEnd from, SegmentKind kind, byte[] data)
    {
        if (from.Cut is { Struck: false } late && Now >= late.Until)
            from.Cut = null; // the fault ended before this connection got that far
        if (from.Cut is not { } cut)
        {
            Transmit(from, kind, data);
            return;
        }
        if (cut.Struck)
        {
            cut.Hold(kind, data);
            return;
        }
        if (kind != SegmentKind.Data || data.Length <= cut.Left)
        {
            if (kind == SegmentKind.Data)
                cut.Left -= data.Length;
            Transmit(from, kind, data);
            return;
        }
        var left = cut.Left;
        cut.Struck = true;
        if (left > 0)
            Transmit(from, kind, data[..left]);
        var serverToClient = from.Peer is { } peer && peer.PeerCut == cut;
        Note($"stream {from.LocalEndpoint} -> {from.RemoteEndpoint}: {cut.Describe(serverToClient)}");
        if (cut.Reset)
        {
            // both ends are told: the peer after the bytes that got through, the sender one crossing later
            Transmit(from, SegmentKind.Rst, []);
            var arrival = from.LastSegmentArrival;
            Clock.Events.Schedule(arrival, () => from.Host.RunOrDefer(() => from.OnSegment(SegmentKind.Rst, [])));
        }
        else
        {
            cut.Hold(kind, data[left..]);
            _stalled.Add(from);
        }
    }

    /// <summary>Stalled streams whose fault ends at <paramref name="until"/> or before move again (all of them: <see cref="long.MaxValue"/>, the heal).</summary>
    internal void ReleaseStalls(long until)
    {
        foreach (var end in _stalled.ToList())
        {
            if (end.Cut is not { } cut || cut.Until > until)
                continue;
            _stalled.Remove(end);
            end.Cut = null;
            var held = cut.Release();
            Note($"stream {end.LocalEndpoint} -> {end.RemoteEndpoint} moves again ({held.Sum(h => h.Data.Length)} bytes held)");
            foreach (var (kind, data) in held)
                Transmit(end, kind, data);
        }
    }

    /// <summary>
    /// <paramref name="host"/> restarts or leaves its address: what its stalled streams still held dies with the
    /// kernel that would have retransmitted it, so none of it reaches the peer later.
    /// </summary>
    internal void DropStalls(SimHost host)
    {
        foreach (var end in _stalled.Where(e => e.Host == host).ToList())
        {
            _stalled.Remove(end);
            var held = end.Cut?.Release() ?? [];
            end.Cut = null;
            Note($"stream {end.LocalEndpoint} -> {end.RemoteEndpoint} is gone with {host.Name}'s old state ({held.Sum(h => h.Data.Length)} bytes held never sent)");
        }
    }

    private void Transmit(SimStreamEnd from, SegmentKind kind, byte[] data)
    {
        var now = Now;
        var source = from.LocalEndpoint;
        var target = from.RemoteEndpoint;
        var detail = kind.ToString().ToUpperInvariant();
        if (HostAt(target.Address) is not { } to)
        {
            Trace.Record(new WireEvent(now, WireKind.Tcp, from.Host.Name, source, "?", target, data, "drop(unreachable)", detail));
            return;
        }
        var arrival = Link(from.Host, to).DecideSegment(now, from.LastSegmentArrival, out var retransmissions);
        from.LastSegmentArrival = arrival;
        var outcome = "deliver " + FormatDelay(TimeSpan.FromTicks(arrival - now)) +
                      (retransmissions > 0 ? $" (retransmitted x{retransmissions})" : "");
        Trace.Record(new WireEvent(now, WireKind.Tcp, from.Host.Name, source, to.Name, target, data, outcome, detail));
        Clock.Events.Schedule(arrival, () => ArriveSegment(from, kind, data));
    }

    /// <summary>
    /// An on-path attacker's forged bytes: they reach <paramref name="victim"/> after
    /// <paramref name="delay"/> as if its peer had sent them (the attacker saw the sequence numbers),
    /// ahead of what the peer sends later (which still arrives after them: the victim, which has
    /// normally given up on the connection by then, answers it with a reset).
    /// </summary>
    internal void InjectSegment(SimHost attacker, SimStreamEnd victim, byte[] data, TimeSpan delay)
    {
        Trace.Record(new WireEvent(Now, WireKind.Tcp, attacker.Name, victim.RemoteEndpoint, victim.Host.Name, victim.LocalEndpoint,
            data, "deliver " + FormatDelay(delay), "FORGED"));
        Clock.Schedule(delay, () => victim.Host.RunOrDefer(() => victim.OnSegment(SegmentKind.Data, data)));
    }

    /// <summary>A segment reaches its host; a paused host takes it when it resumes.</summary>
    private void ArriveSegment(SimStreamEnd from, SegmentKind kind, byte[] data)
    {
        if (kind == SegmentKind.Syn)
        {
            if (HostAt(from.RemoteEndpoint.Address) is { } host)
                host.RunOrDefer(() => host.AcceptSyn(from, from.RemoteEndpoint.Port));
            return;
        }
        if (from.Peer is { } peer)
            peer.Host.RunOrDefer(() => peer.OnSegment(kind, data));
    }

    private static string Describe(Arrival arrival) => arrival.Kind switch
    {
        ArrivalKind.Deliver => "deliver ",
        ArrivalKind.Duplicate => "dup ",
        _ => "replay ",
    } + FormatDelay(arrival.Delay);

    private static string FormatDelay(TimeSpan delay) =>
        $"+{delay.Ticks / TimeSpan.TicksPerMillisecond}.{delay.Ticks % TimeSpan.TicksPerMillisecond / 1000:D1}ms";
}
