using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class TraceTests
{
    private static readonly LinkFaults Faulty = LinkFaults.None with
    {
        LossPerMille = 200,
        DuplicatePerMille = 100,
        DelayMin = TimeSpan.FromMilliseconds(2),
        DelayMean = TimeSpan.FromMilliseconds(40),
    };

    private static SimNetwork PingStorm(ulong seed)
    {
        var net = new TwoHosts(seed, Faulty);
        for (var i = 0; i < 100; i++)
        {
            net.Network.StartPing(net.A, TwoHosts.AddressB);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(7));
        }
        net.Clock.RunFor(TimeSpan.FromSeconds(5));
        return net.Network;
    }

    [Fact]
    public void Same_seed_gives_a_byte_identical_trace()
    {
        var first = PingStorm(99);
        var second = PingStorm(99);

        Assert.Equal(first.Trace.Lines, second.Trace.Lines);
        Assert.Equal(first.Trace.Fingerprint, second.Trace.Fingerprint);
    }

    [Fact]
    public void Different_seeds_give_different_traces()
    {
        Assert.NotEqual(PingStorm(99).Trace.Fingerprint, PingStorm(100).Trace.Fingerprint);
    }

    [Fact]
    public void Every_wire_event_is_one_line_with_time_endpoints_size_and_outcome()
    {
        var lines = PingStorm(99).Trace.Lines;

        Assert.Contains(lines, l => l.StartsWith("t=0.000000 ip  a 192.0.2.1 > b 192.0.2.2 ", StringComparison.Ordinal) && l.Contains(" 96B #"));
        Assert.Contains(lines, l => l.EndsWith("drop(loss)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" dup +", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" note ping #1 a ", StringComparison.Ordinal));
    }

    [Fact]
    public void Fingerprint_is_the_sha256_of_the_lines()
    {
        var trace = PingStorm(5).Trace;
        var text = string.Concat(trace.Lines.Select(l => l + "\n"));

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))), trace.Fingerprint);
    }
}
