namespace MyVpn.Doctor;

/// <summary>
/// UDP can only honestly be tested through the protocol: a handshake under the client's name and key,
/// then a sealed ICMP echo to the server's VPN address on the granted session port, answered sealed.
/// Skipped while the client daemon runs, whose session such a handshake would replace.
/// </summary>
public sealed class UdpReachCheck : IDoctorCheck<ClientFacts>
{
    public IEnumerable<DoctorLine> Check(ClientFacts facts)
    {
        if (facts.Setup is not { } setup || facts.TcpProblem is not null)
            yield break;
        var probe = facts.Udp;
        yield return probe.Outcome switch
        {
            UdpProbeOutcome.Replied => DoctorLine.Ok($"server answers through the tunnel: handshake as '{setup.Name}', echo over UDP port {probe.Port}"),
            UdpProbeOutcome.NoReply => DoctorLine.Fail($"no answer over UDP port {probe.Port} after a handshake as '{setup.Name}'",
                $"TCP gets through but UDP does not: open the server's UDP session ports ({probe.Port} among them) in the firewalls on the way"),
            UdpProbeOutcome.Refused => DoctorLine.Fail($"the server refused '{setup.Name}': {probe.Detail}",
                "the name and key must match one of the server's [[clients]] (or its shared key_file)"),
            UdpProbeOutcome.HandshakeFailed => DoctorLine.Fail($"handshake as '{setup.Name}' failed: {probe.Detail}",
                "is it a MyVpn server of the same version on that port? (myvpn --version on both)"),
            _ => DoctorLine.Ok($"UDP not probed: {probe.Detail}"),
        };
    }
}
