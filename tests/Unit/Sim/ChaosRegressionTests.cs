using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>Seeds that once failed a sweep, pinned so they keep passing.</summary>
public sealed class ChaosRegressionTests
{
    [Theory]
    // 465: a reply from 8.8.8.8 came back after the server host restarted and lost its NAT table;
    // the checker blamed the gateway for receiving it (it is the address owner, not a misdelivery).
    [InlineData(465UL)]
    // 3040, 1741: a grant in flight when the server moved reached the client, which then reported a session
    // with the server's old address; the checker now asks where the server was when it granted it.
    // 3925, 57024071970: a stream stall held the server's grant across its move and delivered it afterwards;
    // what a stall holds now dies with its host's restart or move.
    [InlineData(3040UL)]
    [InlineData(1741UL)]
    [InlineData(3925UL)]
    [InlineData(57024071970UL)]
    // 30661: a grant sent before a reload removed its client reached it after; the reload checker now allows
    // exactly such a grant (whose datagrams the server no longer opens).
    [InlineData(30661UL)]
    // 32559: a replayed copy of an older session's first datagram opened after the newer session did; the rekey
    // checker took it for a rekey and retired the newer keys. It now orders sessions by their grants.
    [InlineData(32559UL)]
    // 177175, 141592: a stale handshake of the client completed on the server after its real rekey and replaced
    // the keys it sealed under; the server kept sealing under the old ones, so the client never went silent. The
    // client now handshakes again when the server has not taken its new keys within the dead-server time.
    [InlineData(177175UL)]
    [InlineData(141592UL)]
    // 170037, 170996, 261559: a client restarted while removed got its refusal only after its restore (261559:
    // after the heal) and stopped; such a client is started again, as its operator would.
    [InlineData(170037UL)]
    [InlineData(170996UL)]
    [InlineData(261559UL)]
    public void Seed_passes(ulong seed)
    {
        var result = ChaosScenario.Run(seed);

        Assert.True(result.Passed, $"{result.Failure}\nreproduce: {result.Reproduction}");
    }
}
