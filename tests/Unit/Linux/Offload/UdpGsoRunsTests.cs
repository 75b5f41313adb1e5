using MyVpn.Io;
using MyVpn.Linux.Offload;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Linux.Offload;

public sealed class UdpGsoRunsTests
{
    private static readonly NetEndpoint A = NetEndpoint.Parse("192.0.2.2:40000");
    private static readonly NetEndpoint B = NetEndpoint.Parse("192.0.2.3:40000");

    private static PacketBuffer[] Datagrams(params (NetEndpoint To, int Length)[] datagrams) =>
        datagrams.Select(d => new PacketBuffer(2048) { Endpoint = d.To, Length = d.Length }).ToArray();

    private static int[] Runs(PacketBuffer[] datagrams, int maxSegments = UdpGsoRuns.MaxSegments)
    {
        var runs = new List<int>();
        for (var i = 0; i < datagrams.Length; i += runs[^1])
            runs.Add(UdpGsoRuns.RunLength(datagrams, i, maxSegments));
        return runs.ToArray();
    }

    [Fact]
    public void Same_endpoint_and_length_make_one_run_and_the_last_may_be_shorter()
    {
        Assert.Equal([4], Runs(Datagrams((A, 1452), (A, 1452), (A, 1452), (A, 300))));
    }

    [Fact]
    public void Another_endpoint_a_longer_datagram_or_anything_after_a_shorter_one_starts_a_new_run()
    {
        Assert.Equal([2, 1, 2], Runs(Datagrams((A, 1452), (A, 1452), (B, 1452), (A, 1452), (A, 1452))));
        Assert.Equal([2, 1], Runs(Datagrams((A, 1000), (A, 1000), (A, 1001))));
        Assert.Equal([2, 1], Runs(Datagrams((A, 1000), (A, 999), (A, 999))));
    }

    [Fact]
    public void Runs_respect_the_segment_and_byte_limits_of_the_kernel()
    {
        Assert.Equal([64, 36], Runs(Datagrams(Enumerable.Repeat((A, 100), 100).ToArray())));
        // 45 * 1452 = 65340 <= 65507; a 46th would pass it
        Assert.Equal([45, 5], Runs(Datagrams(Enumerable.Repeat((A, 1452), 50).ToArray())));
        Assert.Equal([8, 2], Runs(Datagrams(Enumerable.Repeat((A, 100), 10).ToArray()), maxSegments: 8));
    }

    [Fact]
    public void An_empty_datagram_goes_alone()
    {
        Assert.Equal([1, 1, 1], Runs(Datagrams((A, 0), (A, 0), (A, 0))));
    }
}
