using System.CommandLine;
using MyVpn.Net;
using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary><c>demo</c>: the seed network connects and pings, told in readable lines.</summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var seed = CommandLine.SeedOption(fallback: 1);
        var command = new Command("demo", """
            The seed network (pc1, pc2, the server s1 and the internet host 8.8.8.8) with clean links:
            each client connects, then pc1 and pc2 ping each other, the server's VPN address and 8.8.8.8,
            told in readable lines with virtual time, the invariants and the trace's fingerprint.
            Exit status: 0 every ping answered and no invariant broke; 1 otherwise.
            """)
        {
            seed,
        };
        command.SetAction(result => Run(result.GetValue(seed), result.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(ulong seed, TextWriter output)
    {
        var net = SeedNetwork.Build(seed);
        var network = net.Network;
        output.WriteLine($"seed {seed}: s1 {SeedNetwork.ServerPublicAddress} (VPN {net.ServerVpnAddress}), " +
                         $"internet {SeedNetwork.InternetAddress}, clients {string.Join(", ", net.Clients.Select(c => $"{c.Name} {c.Host.Address}"))}");
        foreach (var client in net.Clients)
        {
            if (!net.Connect(client, TimeSpan.FromSeconds(60)))
            {
                output.WriteLine($"{client.Name} did not connect within 60 s");
                return 1;
            }
            var grant = client.Grant!;
            output.WriteLine($"t={Trace.FormatTime(network.Now)} {client.Name} connected: {grant.ClientAddress}/{grant.PrefixLength}, " +
                             $"server {grant.ServerAddress}, server port {grant.Port}, mtu {grant.Mtu}");
        }
        var ok = true;
        ok &= Ping(net, net.Pc1, net.Pc2.VpnAddress!.Value, output);
        ok &= Ping(net, net.Pc2, net.Pc1.VpnAddress!.Value, output);
        ok &= Ping(net, net.Pc1, net.ServerVpnAddress, output);
        ok &= Ping(net, net.Pc1, SeedNetwork.InternetAddress, output);
        var seen = net.Internet.Stack.Responder.Answered;
        if (seen.Count > 0)
            output.WriteLine($"  {SeedNetwork.InternetAddress} saw the ping come from {seen[^1].Source} (s1's public address is {SeedNetwork.ServerPublicAddress})");
        output.WriteLine(network.Violations.Any
            ? $"invariants: VIOLATED: {network.Violations.First}"
            : $"invariants: ok ({network.Plaintext.Inspected} tunnel datagrams and segments checked for plaintext)");
        output.WriteLine($"trace: {network.Trace.LineCount} lines, fingerprint {network.Trace.Fingerprint}");
        return ok && !network.Violations.Any ? 0 : 1;
    }

    private static bool Ping(SeedNetwork net, SeedClient from, IPv4Address target, TextWriter output)
    {
        var record = net.Ping(from.Host, target);
        if (record is { RoundTrip: { } rtt })
        {
            output.WriteLine($"t={Trace.FormatTime(net.Network.Now)} {from.Name} ({from.VpnAddress}) ping {target}: " +
                             $"reply from {target}, {record.Request.Payload.Length} bytes, time {rtt.TotalMilliseconds:0.0} ms");
            return true;
        }
        output.WriteLine($"t={Trace.FormatTime(net.Network.Now)} {from.Name} ping {target}: no reply");
        return false;
    }
}
