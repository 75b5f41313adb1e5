using CsCheck;
using MyVpn.Net;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Net;

/// <summary>
/// <see cref="TcpMss.Clamp"/>: a SYN's MSS option is lowered to the tunnel MTU less 40 (IPv4) or 60 (IPv6)
/// bytes, the checksum stays valid, and nothing else (other segments, small MSS, broken headers) changes.
/// </summary>
public sealed class TcpMssTests
{
    private static readonly byte[] WindowScale = [3, 3, 7];
    private static readonly byte[] SackPermitted = [4, 2];
    private static readonly byte[] Timestamps = [8, 10, 0, 0, 0, 1, 0, 0, 0, 0];

    [Fact]
    public void IPv4_syn_announcing_1460_is_lowered_to_the_mtu_less_40_with_a_valid_checksum()
    {
        var packet = TcpSegments.Build(4, TcpSegments.Syn, TcpSegments.MssOption(1460));

        Assert.Equal(MssClampOutcome.Lowered, TcpMss.Clamp(packet, 1420));

        Assert.Equal(1380, TcpSegments.Mss(packet));
        Assert.True(TcpSegments.ChecksumValid(packet));
    }

    [Fact]
    public void IPv4_syn_ack_is_lowered_as_well()
    {
        var packet = TcpSegments.Build(4, TcpSegments.Syn | TcpSegments.Ack, [.. TcpSegments.MssOption(1460), 1, 1, .. SackPermitted]);

        Assert.Equal(MssClampOutcome.Lowered, TcpMss.Clamp(packet, 1220));

        Assert.Equal(1180, TcpSegments.Mss(packet));
        Assert.True(TcpSegments.ChecksumValid(packet));
    }

    [Fact]
    public void IPv6_syn_is_lowered_to_the_mtu_less_60()
    {
        var packet = TcpSegments.Build(6, TcpSegments.Syn, TcpSegments.MssOption(1440));

        Assert.Equal(MssClampOutcome.Lowered, TcpMss.Clamp(packet, 1280));

        Assert.Equal(1220, TcpSegments.Mss(packet));
        Assert.True(TcpSegments.ChecksumValid(packet));
    }

    [Fact]
    public void Mss_after_other_options_at_an_odd_offset_is_found_and_the_checksum_stays_valid()
    {
        // NOP, window scale (3 bytes), SACK permitted, then MSS: its value starts at an odd offset of the header
        var packet = TcpSegments.Build(4, TcpSegments.Syn, [1, .. WindowScale, .. SackPermitted, .. TcpSegments.MssOption(1460), .. Timestamps]);

        Assert.Equal(MssClampOutcome.Lowered, TcpMss.Clamp(packet, 1300));

        Assert.Equal(1260, TcpSegments.Mss(packet));
        Assert.True(TcpSegments.ChecksumValid(packet));
    }

    [Fact]
    public void Syn_without_an_mss_option_is_left_alone()
    {
        var packet = TcpSegments.Build(4, TcpSegments.Syn, [.. WindowScale, .. SackPermitted]);
        var before = (byte[])packet.Clone();

        Assert.Equal(MssClampOutcome.Fits, TcpMss.Clamp(packet, 1220));

        Assert.Equal(before, packet);
    }

    [Fact]
    public void Mss_already_small_enough_is_left_alone()
    {
        var packet = TcpSegments.Build(4, TcpSegments.Syn, TcpSegments.MssOption(1180));
        var before = (byte[])packet.Clone();

        Assert.Equal(MssClampOutcome.Fits, TcpMss.Clamp(packet, 1220));

        Assert.Equal(before, packet);
    }

    [Fact]
    public void Segments_without_syn_and_other_protocols_are_left_alone()
    {
        var ack = TcpSegments.Build(4, TcpSegments.Ack, TcpSegments.MssOption(1460), payload: 100);
        var udp = Packets.IPv4("10.0.0.2", "10.0.0.3", new byte[40], protocol: 17);
        var (ackBefore, udpBefore) = ((byte[])ack.Clone(), (byte[])udp.Clone());

        Assert.Equal(MssClampOutcome.NotSyn, TcpMss.Clamp(ack, 1220));
        Assert.Equal(MssClampOutcome.NotSyn, TcpMss.Clamp(udp, 1220));

        Assert.Equal(ackBefore, ack);
        Assert.Equal(udpBefore, udp);
    }

    [Fact]
    public void A_later_fragment_is_not_read_as_a_tcp_header()
    {
        var packet = TcpSegments.Build(4, TcpSegments.Syn, TcpSegments.MssOption(1460));
        packet[7] = 1; // fragment offset 8 bytes: what follows the IP header is not a TCP header
        var before = (byte[])packet.Clone();

        Assert.Equal(MssClampOutcome.NotSyn, TcpMss.Clamp(packet, 1220));

        Assert.Equal(before, packet);
    }

    [Theory]
    [InlineData(4, 30)]   // TCP header cut short
    [InlineData(6, 50)]
    [InlineData(4, 10)]   // IP header cut short
    [InlineData(6, 39)]
    [InlineData(4, 42)]   // the data offset promises options the packet lacks
    public void Truncated_headers_are_reported_malformed_and_untouched(int version, int length)
    {
        var packet = TcpSegments.Build(version, TcpSegments.Syn, [1, 1, 1, 1, .. TcpSegments.MssOption(1460)])[..length];
        var before = (byte[])packet.Clone();

        Assert.Equal(MssClampOutcome.Malformed, TcpMss.Clamp(packet, 1220));

        Assert.Equal(before, packet);
    }

    [Fact]
    public void An_option_whose_length_runs_past_the_header_is_malformed()
    {
        var packet = TcpSegments.Build(4, TcpSegments.Syn, [8, 40, 0, 0, .. TcpSegments.MssOption(1460)]);
        var before = (byte[])packet.Clone();

        Assert.Equal(MssClampOutcome.Malformed, TcpMss.Clamp(packet, 1220));

        Assert.Equal(before, packet);
    }

    [Fact]
    public void Random_syns_keep_a_valid_checksum_and_never_announce_more_than_fits()
    {
        var option = Gen.OneOf(
            Gen.Const(new byte[] { 1 }),
            Gen.Const(WindowScale),
            Gen.Const(SackPermitted),
            Gen.Const(Timestamps));
        var gen = Gen.Select(Gen.Int[0, 1].Select(b => b == 0 ? 4 : 6), option.Array[0, 4], option.Array[0, 3], Gen.UShort, Gen.Int[1280, 9000], Gen.Int[0, 64],
            (version, before, after, mss, mtu, payload) => (version, before, after, mss, mtu, payload));

        gen.Sample(t =>
        {
            byte[] options = [.. t.before.SelectMany(o => o), .. TcpSegments.MssOption(t.mss), .. t.after.SelectMany(o => o)];
            if (options.Length > 40)
                return;
            var packet = TcpSegments.Build(t.version, TcpSegments.Syn, options, t.payload);
            var limit = t.mtu - (t.version == 4 ? 40 : 60);

            var outcome = TcpMss.Clamp(packet, t.mtu);

            Assert.True(TcpSegments.ChecksumValid(packet));
            Assert.Equal(Math.Min(t.mss, limit), TcpSegments.Mss(packet));
            Assert.Equal(t.mss > limit ? MssClampOutcome.Lowered : MssClampOutcome.Fits, outcome);
        });
    }
}
