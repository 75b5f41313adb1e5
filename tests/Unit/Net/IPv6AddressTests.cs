using System.Net;
using CsCheck;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Net;

public sealed class IPv6AddressTests
{
    [Theory]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("FD00:0:0:0:0:0:0:1", "fd00::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1")]
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [InlineData("2001:db8::", "2001:db8::")]
    [InlineData("0:0:1:0:0:0:1:0", "0:0:1::1:0")]
    [InlineData("::ffff:10.0.0.1", "::ffff:10.0.0.1")]
    [InlineData("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8")]
    public void Formats_in_the_RFC_5952_form(string text, string expected) =>
        Assert.Equal(expected, IPv6Address.Parse(text).ToString());

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("fd00::1%eth0")]
    [InlineData("[fd00::1]")]
    [InlineData("fd00::1::2")]
    [InlineData("banana")]
    [InlineData("fd00::1/64")]
    [InlineData("[fd00::1]:5")]
    [InlineData("")]
    public void Rejects_what_is_not_an_IPv6_address(string text)
    {
        Assert.False(IPv6Address.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => IPv6Address.Parse(text));
        Assert.Equal($"'{text}' is not an IPv6 address", error.Message);
    }

    [Fact]
    public void Reads_and_writes_network_order()
    {
        var address = IPv6Address.Parse("2001:db8::102:304");
        var bytes = new byte[IPv6Address.Size];
        address.Write(bytes);
        Assert.Equal(Convert.FromHexString("20010DB8000000000000000001020304"), bytes);
        Assert.Equal(address, IPv6Address.Read(bytes));
        Assert.Equal(0x2001_0DB8_0000_0000UL, address.High);
        Assert.Equal(0x0102_0304UL, address.Low);
    }

    [Fact]
    public void Knows_IPv4_mapped_addresses()
    {
        var mapped = IPv6Address.MapIPv4(IPv4Address.Parse("192.0.2.7"));
        Assert.True(mapped.IsIPv4Mapped);
        Assert.Equal("192.0.2.7", mapped.MappedIPv4.ToString());
        Assert.Equal(IPv6Address.Parse("::ffff:192.0.2.7"), mapped);
        Assert.False(IPv6Address.Parse("::192.0.2.7").IsIPv4Mapped);
        Assert.True(IPv6Address.Parse("fd00::1").CompareTo(IPv6Address.Parse("2001:db8::ffff")) > 0);
    }

    [Fact]
    public void Round_trips_through_IPAddress_and_text_for_any_value() =>
        Gen.Select(Gen.ULong, Gen.ULong, Gen.Int[0, 7], Gen.Int[0, 8],
                (high, low, at, zeros) => WithZeroRun(new IPv6Address(high, low), at, zeros))
            .Sample(address =>
            {
                var ip = address.ToIPAddress();
                Assert.Equal(address, IPv6Address.From(ip));
                var text = address.ToString();
                Assert.Equal(address, IPv6Address.Parse(text));
                Assert.Equal(text, IPv6Address.Parse(text.ToUpperInvariant()).ToString());
                if (!address.IsIPv4Mapped && !IsIPv4Compatible(ip))
                    Assert.Equal(ip.ToString(), text);
            });

    // Random 128-bit values almost never hold zero groups: put a run of them in, so :: is exercised.
    private static IPv6Address WithZeroRun(IPv6Address address, int at, int zeros)
    {
        var bytes = new byte[IPv6Address.Size];
        address.Write(bytes);
        for (var i = at; i < Math.Min(8, at + zeros); i++)
            bytes[2 * i] = bytes[2 * i + 1] = 0;
        return IPv6Address.Read(bytes);
    }

    // .NET writes ::a.b.c.d for these (the deprecated IPv4-compatible form); RFC 5952 keeps hex.
    private static bool IsIPv4Compatible(IPAddress ip) => ip.IsIPv4MappedToIPv6 is false && ip.GetAddressBytes().AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
}
