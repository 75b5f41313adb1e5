using CsCheck;
using MyVpn.Net;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>
/// Property tests of the grant extension (docs/protocol.md §2.4) and of whole grants that carry one:
/// valid pushed settings round-trip; random and mutated bytes never throw, and whatever is accepted
/// is within every bound and re-encodes to the very bytes read.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class GrantExtensionFuzzTests
{
    private static readonly Gen<IPv4Range> Routes =
        Gen.Select(Gen.UInt[0x0100_0000, 0xDFFF_FFFF], Gen.Int[PushedSettings.MinRoutePrefix, 32], (network, prefix) => new IPv4Range(new IPv4Address(network), prefix))
            .Where(r => PushedSettings.RouteProblem(r) is null);

    private static readonly Gen<IPv4Address> DnsServers =
        Gen.UInt[0x0100_0000, 0xDFFF_FFFF].Select(v => new IPv4Address(v)).Where(a => PushedSettings.DnsServerProblem(a) is null);

    private static readonly Gen<string> Labels =
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"], 1, PushedSettings.MaxLabelLength]
            .Where(l => l[0] != '-' && l[^1] != '-');

    private static readonly Gen<string> Domains =
        Labels.Array[1, 5].Select(labels => string.Join('.', labels)).Where(d => d.Length <= PushedSettings.MaxDomainLength);

    internal static readonly Gen<PushedSettings> ValidPushed =
        Gen.Select(Routes.Array[0, PushedSettings.MaxRoutes], DnsServers.Array[0, PushedSettings.MaxDnsServers], Domains.Array[0, PushedSettings.MaxSearchDomains],
            (routes, dns, search) => new PushedSettings(
                routes.Distinct().ToArray(),
                dns.Distinct().ToArray(),
                search.DistinctBy(d => d.ToLowerInvariant()).ToArray()))
        .Where(p => !p.IsEmpty);

    [Fact]
    public void Extension_decodes_what_it_encodes()
    {
        Fuzz.Check(ValidPushed, pushed =>
        {
            var bytes = new byte[GrantExtension.LengthOf(pushed)];
            GrantExtension.Write(pushed, bytes);

            Assert.True(GrantExtension.TryRead(bytes, out var read, out var error), error.ToString());
            Assert.Equal(pushed, read);
            Assert.InRange(bytes.Length, 4, GrantExtension.MaxLength);
        });
    }

    private static readonly Gen<byte[]> ExtensionInputs = Gen.Frequency(
        (1, Gen.Byte.Array[0, 64]),
        (1, Gen.Select(Gen.Byte.Array[0, 64], b => (byte[])[GrantExtension.Version, .. b])),
        (3, Gen.Select(ValidPushed, FuzzGen.Mutation.Array[1, 3], (pushed, mutations) =>
        {
            var bytes = new byte[GrantExtension.LengthOf(pushed)];
            GrantExtension.Write(pushed, bytes);
            return Mutation.ApplyAll(bytes, mutations, []);
        })));

    [Fact]
    public void Extension_decode_never_throws_and_accepts_only_bounded_canonical_settings()
    {
        Fuzz.Check(ExtensionInputs, bytes =>
        {
            if (!GrantExtension.TryRead(bytes, out var pushed, out var ipv6, out var error))
            {
                Assert.Contains(error, new[] { HandshakeError.Malformed, HandshakeError.UnsupportedVersion });
                Assert.Same(PushedSettings.None, pushed);
                Assert.Null(ipv6);
                return;
            }
            Assert.Equal(HandshakeError.None, error);
            Assert.Null(pushed.Problem());
            Assert.Null(ipv6?.Problem());
            if (bytes[0] == GrantExtension.SectionsVersion)
                return; // sections it does not know were skipped: version 2 is not re-encoded byte for byte
            Assert.InRange(pushed.Routes.Count, 0, PushedSettings.MaxRoutes);
            Assert.InRange(pushed.DnsServers.Count, 0, PushedSettings.MaxDnsServers);
            Assert.InRange(pushed.SearchDomains.Count, 0, PushedSettings.MaxSearchDomains);
            var again = new byte[GrantExtension.LengthOf(pushed)];
            GrantExtension.Write(pushed, again);
            Assert.Equal(bytes, again);
        });
    }

    [Fact]
    public void Grant_with_an_extension_decodes_what_it_encodes_and_mutations_never_throw()
    {
        var grant = new SessionGrant(0x01020304, IPv4Address.Parse("10.0.0.2"), 24, IPv4Address.Parse("10.0.0.1"), 40000, 1420, TimeSpan.FromSeconds(10));
        var inputs = Gen.Select(ValidPushed, FuzzGen.Mutation.Array[0, 3], (pushed, mutations) => (pushed, mutations));
        Fuzz.Check(inputs, (pushed, mutations) =>
        {
            var encoded = GrantEncoding.Encode(grant with { Pushed = pushed }, new byte[32], new byte[32]);
            Assert.True(GrantEncoding.TryDecode(encoded, out var decoded, out _, out _));
            Assert.Equal(pushed, decoded.Pushed);

            var mutated = Mutation.ApplyAll(encoded, mutations, []);
            if (GrantEncoding.TryDecode(mutated, out var other, out var c2s, out var s2c)
                && (mutated.Length == HandshakeMessage.GrantLength || mutated[HandshakeMessage.GrantLength] == GrantExtension.Version))
                Assert.Equal(mutated, GrantEncoding.Encode(other, c2s, s2c));
        });
    }

    /// <summary>A valid IPv6 grant: a ULA subnet of /64 to /120, client and server two different hosts of it.</summary>
    private static readonly Gen<Ipv6Grant> ValidIpv6 =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.Int[IPv6Subnet.MinPrefixLength, IPv6Subnet.MaxPrefixLength], Gen.UInt, Gen.UInt,
            (high, low, prefix, a, b) =>
            {
                var subnet = new IPv6Subnet(new IPv6Address(0xFD00_0000_0000_0000UL | (high & 0x00FF_FFFF_FFFF_FFFFUL), low), prefix);
                var count = subnet.IndexCount - 1;
                var client = (uint)(1 + a % count);
                var server = (uint)(1 + (client + b % (count - 1)) % count);
                return new Ipv6Grant(subnet.Host(client), prefix, subnet.Host(server));
            });

    [Fact]
    public void Version_2_extension_decodes_the_ipv6_grant_and_pushes_it_was_given()
    {
        var pushedOrNone = Gen.Frequency((1, Gen.Const(PushedSettings.None)), (1, ValidPushed));
        Fuzz.Check(Gen.Select(pushedOrNone, ValidIpv6, (pushed, ipv6) => (pushed, ipv6)), (pushed, ipv6) =>
        {
            Assert.Null(ipv6.Problem());
            var bytes = new byte[GrantExtension.LengthOf(pushed, ipv6)];
            GrantExtension.Write(pushed, ipv6, bytes);

            Assert.True(GrantExtension.TryRead(bytes, out var read, out var readIpv6, out var error), error.ToString());
            Assert.Equal(pushed, read);
            Assert.Equal(ipv6, readIpv6);
            Assert.InRange(bytes.Length, 5, GrantExtension.MaxLength);
        });
    }
}
