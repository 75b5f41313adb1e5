namespace MyVpn.Doctor;

/// <summary>The server's handshake port must accept a TCP connection from here.</summary>
public sealed class TcpReachCheck : IDoctorCheck<ClientFacts>
{
    public IEnumerable<DoctorLine> Check(ClientFacts facts)
    {
        if (facts.Setup is not { } setup)
            yield break;
        yield return facts.TcpProblem is null
            ? DoctorLine.Ok($"server {setup.Server} accepts TCP (handshakes)")
            : DoctorLine.Fail($"server {setup.Server} unreachable by TCP: {facts.TcpProblem}",
                $"check the address and port (server, --server), that the server runs, and that TCP {setup.Server.Port} is open in the firewalls on the way");
    }
}
