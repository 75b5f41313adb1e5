using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// The IP layer of one host, the part a VPN touches: its addresses (the public one, plus the VPN
/// address once its tun is configured), what it does with packets the engine writes to the tun
/// (deliver locally, forward through the NAT, or flag as misdelivered), and where packets the host
/// originates go (into the tun when routed via the VPN, else straight onto the wire).
/// </summary>
internal sealed class IpStack(SimHost host)
{
    public IcmpResponder Responder { get; } = new();

    /// <summary>The tun's address and subnet ("ip addr add 10.0.0.2/24 dev tun0"); null until configured.</summary>
    public IPv4Address? VpnAddress { get; private set; }
    public IPv4Subnet? VpnSubnet { get; private set; }

    /// <summary>Full tunnel: every destination but the host itself goes through the tun (clients).</summary>
    public bool RouteAllViaVpn { get; set; }

    /// <summary>Set on a gateway (the server host): packets from the tun for outside the subnet leave through it.</summary>
    public SimNat? Nat { get; private set; }

    /// <summary>Packets the engine wrote to the tun that were not well-formed IPv4.</summary>
    public long Malformed { get; private set; }

    /// <summary>Packets dropped because no route or NAT mapping fit.</summary>
    public long Unroutable { get; private set; }

    public void Configure(IPv4Address address, IPv4Subnet subnet)
    {
        VpnAddress = address;
        VpnSubnet = subnet;
    }

    /// <summary>The tun's IPv6 address and subnet, when the grant has IPv6; null until configured.</summary>
    public IPv6Address? VpnAddress6 { get; private set; }
    public IPv6Subnet? VpnSubnet6 { get; private set; }

    /// <summary>The host's own public IPv6 address (the internet host's), if it has one.</summary>
    public IPv6Address? PublicAddress6 { get; set; }

    /// <summary>"ip -6 addr add fd..::2/64 dev tun0".</summary>
    public void Configure6(IPv6Address address, IPv6Subnet subnet)
    {
        VpnAddress6 = address;
        VpnSubnet6 = subnet;
    }

    public bool IsLocal6(IPv6Address address) => address == VpnAddress6 || address == PublicAddress6;

    /// <summary>The source address for an IPv6 packet to <paramref name="target"/>; null when there is no route.</summary>
    public IPv6Address? SourceFor6(IPv6Address target) =>
        RoutesViaVpn6(target) ? VpnAddress6 : (RouteAllViaVpn ? null : PublicAddress6);

    private bool RoutesViaVpn6(IPv6Address target) =>
        VpnAddress6 is not null && (RouteAllViaVpn || VpnSubnet6!.Value.Contains(target));

    /// <summary>Turns on forwarding with MASQUERADE behind the host's (current) public address.</summary>
    public void EnableForwarding() => Nat = new SimNat(() => host.Address);

    /// <summary>Forgets everything (host restart): addresses, routes, NAT mappings.</summary>
    public void Reset()
    {
        VpnAddress = null;
        VpnSubnet = null;
        VpnAddress6 = null;
        VpnSubnet6 = null;
        Nat = null;
    }

    public bool IsLocal(IPv4Address address) => address == host.Address || address == VpnAddress;

    /// <summary>The source address for a packet this host sends to <paramref name="target"/>; null when there is no route yet.</summary>
    public IPv4Address? SourceFor(IPv4Address target) =>
        RoutesViaVpn(target) ? VpnAddress : (RouteAllViaVpn ? null : host.Address);

    private bool RoutesViaVpn(IPv4Address target) =>
        VpnAddress is not null && (RouteAllViaVpn || VpnSubnet!.Value.Contains(target));

    /// <summary>The engine wrote <paramref name="packet"/> to this host's tun.</summary>
    public void FromTun(byte[] packet)
    {
        var now = host.Network.Now;
        if (packet.Length > 0 && packet[0] >> 4 == 6)
        {
            FromTun6(packet, now);
            return;
        }
        if (!IpHeader.TryRead(packet, out var header))
        {
            Malformed++;
            return;
        }
        if (header.Target == VpnAddress)
        {
            Deliver(packet);
        }
        else if (Nat is not null && VpnSubnet is { } subnet && !subnet.Contains(header.Target))
        {
            if (Nat.Outbound(packet) is { } translated)
                host.Network.SendIp(host, header.Target, translated);
            else
                Unroutable++;
        }
        else
        {
            host.Network.Deliveries.OnMisdelivered(now, host, header.Target);
        }
    }

    /// <summary>A raw IP packet arrived on the wire for this host's public address.</summary>
    public void FromWire(byte[] packet)
    {
        if (packet.Length > 0 && packet[0] >> 4 == 6)
        {
            FromWire6(packet);
            return;
        }
        if (Nat?.Inbound(packet) is { } translated)
            host.Tun.Inject(translated);
        else if (IpHeader.TryRead(packet, out var header) && header.Target == host.Address)
            Deliver(packet);
        else
            Unroutable++;
    }

    /// <summary>Sends a packet this host made (a ping, a reply) along its route.</summary>
    public void Originate(byte[] packet)
    {
        if (packet.Length > 0 && packet[0] >> 4 == 6)
        {
            Originate6(packet);
            return;
        }
        if (!IpHeader.TryRead(packet, out var header))
            throw new ArgumentException("not an IPv4 packet", nameof(packet));
        if (IsLocal(header.Target))
            host.Network.Clock.Schedule(TimeSpan.Zero, () => Deliver(packet)); // loopback
        else if (RoutesViaVpn(header.Target))
            host.Tun.Inject(packet);
        else if (!RouteAllViaVpn) // a full-tunnel client whose tunnel is down has no route
            host.Network.SendIp(host, header.Target, packet);
        else
            Unroutable++;
    }

    /// <summary>
    /// An IPv6 packet the engine wrote to tun: for this host, delivered; on a gateway, for outside the VPN's IPv6
    /// subnet, routed out as it is (no NAT66: the internet host routes the subnet back through the gateway).
    /// </summary>
    private void FromTun6(byte[] packet, long now)
    {
        if (!IPv6Header.TryReadAddresses(packet, out _, out var target))
        {
            Malformed++;
            return;
        }
        var destination = IPv6Address.Read(target);
        if (destination == VpnAddress6)
            Deliver(packet);
        else if (Nat is not null && VpnSubnet6 is { } subnet && !subnet.Contains(destination))
            host.Network.SendIp6(host, destination, packet);
        else
            host.Network.Deliveries.OnMisdelivered6(now, host, destination);
    }

    private void FromWire6(byte[] packet)
    {
        if (!IPv6Header.TryReadAddresses(packet, out _, out var target))
        {
            Unroutable++;
            return;
        }
        var destination = IPv6Address.Read(target);
        if (Nat is not null && VpnSubnet6 is { } subnet && subnet.Contains(destination) && destination != VpnAddress6)
            host.Tun.Inject(packet);
        else if (IsLocal6(destination))
            Deliver(packet);
        else
            Unroutable++;
    }

    private void Originate6(byte[] packet)
    {
        if (!IPv6Header.TryReadAddresses(packet, out _, out var target))
            throw new ArgumentException("not an IPv6 packet", nameof(packet));
        var destination = IPv6Address.Read(target);
        if (IsLocal6(destination))
            host.Network.Clock.Schedule(TimeSpan.Zero, () => Deliver(packet)); // loopback
        else if (RoutesViaVpn6(destination))
            host.Tun.Inject(packet);
        else if (!RouteAllViaVpn)
            host.Network.SendIp6(host, destination, packet);
        else
            Unroutable++;
    }

    private void Deliver6(byte[] packet)
    {
        if (!Icmp6Echo.TryParse(packet, out var echo))
            return;
        var now = host.Network.Now;
        if (echo.IsReply)
        {
            host.Network.Deliveries.OnEcho6ReplyDelivered(now, host, echo);
            return;
        }
        host.Network.Deliveries.OnEcho6RequestDelivered(now, host, echo);
        Originate(Responder.Answer6(now, echo));
    }

    private void Deliver(byte[] packet)
    {
        if (packet.Length > 0 && packet[0] >> 4 == 6)
        {
            Deliver6(packet);
            return;
        }
        if (!IcmpEcho.TryParse(packet, out var echo))
            return;
        var now = host.Network.Now;
        if (echo.IsReply)
        {
            host.Network.Deliveries.OnEchoReplyDelivered(now, host, echo);
            return;
        }
        host.Network.Deliveries.OnEchoRequestDelivered(now, host, echo);
        Originate(Responder.Answer(now, echo));
    }
}
