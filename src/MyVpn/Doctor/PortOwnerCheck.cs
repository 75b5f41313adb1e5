namespace MyVpn.Doctor;

/// <summary>
/// The handshake port (TCP) and the session ports (UDP) must be free for the server, or held by the
/// running server itself. A program holding the handshake port keeps the server from starting; one
/// holding session ports leaves the server fewer (it skips a port it cannot bind).
/// </summary>
public sealed class PortOwnerCheck : IDoctorCheck<ServerFacts>
{
    private const int Listed = 3;

    public IEnumerable<DoctorLine> Check(ServerFacts facts)
    {
        if (facts.Setup is not { } setup)
            yield break;
        var address = setup.Listen.AddressText;
        var others = facts.Sockets
            .Where(s => s.Overlaps(address) && (facts.RunningPid is not { } pid || s.OwnerPid != pid))
            .ToList();

        var tcp = others.FirstOrDefault(s => s.Protocol == SocketProtocol.Tcp && s.Port == setup.Listen.Port);
        if (tcp is not null)
            yield return DoctorLine.Fail($"TCP port {setup.Listen.Port} (handshakes) is taken by {tcp.OwnerText} on {tcp.Address}",
                $"stop that program, or give the server another port (listen = \"{address}:PORT\", --listen {address}:PORT)");
        else
            yield return DoctorLine.Ok(facts.RunningPid is { } pid
                ? $"TCP port {setup.Listen.Port} (handshakes) is held by the running server (pid {pid}) only"
                : $"TCP port {setup.Listen.Port} (handshakes) is free");

        var udp = others
            .Where(s => s.Protocol == SocketProtocol.Udp && s.Port >= setup.FirstPort && s.Port <= setup.LastPort)
            .GroupBy(s => s.Port)
            .Select(g => g.First())
            .OrderBy(s => s.Port)
            .ToList();
        var count = setup.LastPort - setup.FirstPort + 1;
        if (udp.Count == 0)
        {
            yield return DoctorLine.Ok($"UDP ports {setup.PortRange} (sessions) are not held by another program");
            yield break;
        }
        var named = string.Join(", ", udp.Take(Listed).Select(s => $"{s.Port} by {s.OwnerText}")) + (udp.Count > Listed ? ", ..." : "");
        var what = $"UDP ports {setup.PortRange} (sessions): {udp.Count} of {count} taken ({named})";
        var advice = $"stop those programs, or move the range (ports = \"FIRST-LAST\", --ports FIRST-LAST)";
        yield return udp.Count >= count
            ? DoctorLine.Fail(what, "no session can get a port; " + advice)
            : DoctorLine.Warn(what, "the server skips them, leaving fewer sessions; " + advice);
    }
}
