namespace MyVpn.Sim.Checkers;

/// <summary>
/// Nothing that must stay secret crosses the tunnel in clear: no UDP datagram or handshake segment
/// contains a ping's plaintext payload marker or any pre-shared key. (Forwarded internet traffic
/// past the NAT is plaintext by nature and is not checked.)
/// </summary>
internal sealed class PlaintextChecker(Violations violations)
{
    private readonly List<(string Name, byte[] Bytes)> _secrets = [("ping payload", PingPayload.Marker)];

    /// <summary>Also watch for <paramref name="secret"/> (e.g. a client's pre-shared key).</summary>
    public void AddSecret(string name, byte[] secret) => _secrets.Add((name, secret));

    public long Inspected { get; private set; }

    public void OnWire(WireEvent e)
    {
        if (!e.IsTunnelTraffic)
            return;
        Inspected++;
        foreach (var (name, bytes) in _secrets)
        {
            if (e.Bytes.AsSpan().IndexOf(bytes) >= 0)
                violations.Report(e.Time, "plaintext",
                    $"{e.Kind} {e.Source} > {e.Target} carries the {name} in clear");
        }
    }
}
