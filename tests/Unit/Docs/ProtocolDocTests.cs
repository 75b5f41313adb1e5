using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MyVpn.Cli;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Cli;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Docs;

/// <summary>
/// The bytes and names docs/protocol.md prints are the code's: read from the text itself, so a stale
/// page fails here. The vectors of §5.6 and §8, the TestRandom blocks of §8, the PSK example of §3 and
/// the tables of §2.1 and §7 are each compared with what the code produces or declares.
/// </summary>
public sealed partial class ProtocolDocTests
{
    private static readonly string Spec = DocText.Read("docs/protocol.md");

    /// <summary>The first code block of <paramref name="section"/> that contains <paramref name="marker"/>.</summary>
    private static string Code(string section, string marker) =>
        DocText.FencedBlocks(DocText.Section(Spec, section)).First(b => b.Text.Contains(marker, StringComparison.Ordinal)).Text;

    /// <summary>
    /// The labelled hex values of a vector block: a line that starts with a label begins a value, indented
    /// lines continue it; parenthesised remarks ("(101)", "(client → server key)") are not part of it.
    /// A label seen twice gets "#2" appended. Values written with an ellipsis are left out.
    /// </summary>
    public static Dictionary<string, string> Values(string block)
    {
        var values = new Dictionary<string, string>();
        string? label = null;
        foreach (var raw in block.Split('\n'))
        {
            var line = Remark().Replace(raw, " ");
            if (line.Trim().Length == 0)
                continue;
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var hexFrom = Array.FindIndex(tokens, t => HexToken().IsMatch(t));
            if (!char.IsWhiteSpace(raw[0]))
            {
                var name = string.Join(' ', hexFrom < 0 ? tokens : tokens[..hexFrom]).TrimEnd(':');
                label = values.ContainsKey(name) ? name + "#2" : name;
                values[label] = "";
            }
            else if (hexFrom > 0 && !tokens[..hexFrom].All(t => HexToken().IsMatch(t)))
            {
                // an indented line with its own label ("  IV   0102…", "  tag  a7f6…")
                var name = string.Join(' ', tokens[..hexFrom]);
                label = values.ContainsKey(name) ? name + "#2" : name;
                values[label] = "";
            }
            if (label is null || hexFrom < 0)
                continue;
            if (raw.Contains('…'))
            {
                values.Remove(label);
                label = null;
                continue;
            }
            values[label] += string.Concat(tokens[hexFrom..].TakeWhile(t => HexToken().IsMatch(t)));
        }
        return values.Where(v => v.Value.Length > 0).ToDictionary();
    }

    // ---- §8: the handshake vector ----

    private sealed record Recording(byte[] ClientHello, byte[] ServerHello, byte[] ClientAuth, byte[] ServerAccept);

    private static Recording Record()
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), IPv4Address.Parse("10.0.0.7"), new TestRandom(1));
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        var clientHello = client.Start();
        var serverHello = server.OnData(clientHello).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(clientAuth).Status);
        var (serverAccept, session) = server.Accept(Handshakes.Grant, PureChannel.Create);
        session.Dispose();
        Assert.Equal(HandshakeStatus.Established, client.OnData(serverAccept).Status);
        return new Recording(clientHello, serverHello, clientAuth, serverAccept);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] Sha256(params byte[][] parts) => SHA256.HashData(parts.SelectMany(p => p).ToArray());

    private static byte[] Expand(byte[] prk, string label, byte[] context) =>
        HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, [.. System.Text.Encoding.ASCII.GetBytes(label), .. context]);

    /// <summary>Every value of §8 as this run of the code and the §3 formulas give it, by the page's labels.</summary>
    private static Dictionary<string, string> Section8FromCode()
    {
        var r = Record();
        var scalar = new byte[32];
        new TestRandom(1).Fill(scalar);
        using var mine = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
        using var peer = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = r.ServerHello[5..37], Y = r.ServerHello[37..69] },
        });
        var shared = mine.DeriveRawSecretAgreement(peer.PublicKey);
        var hs = HKDF.Extract(HashAlgorithmName.SHA256, shared, "myvpn v1 handshake"u8.ToArray());
        var th1 = Sha256(r.ClientHello, r.ServerHello);
        var kId = Expand(hs, "myvpn v1 identity", th1);
        var opened = new byte[HandshakeMessage.IdentityLength + 32];
        using (var aes = new AesGcm(kId, 16))
            aes.Decrypt(new byte[12], r.ClientAuth.AsSpan(4, opened.Length), r.ClientAuth.AsSpan(4 + opened.Length), opened, th1);
        var identity = opened[..HandshakeMessage.IdentityLength];
        var th2 = Sha256(th1, identity);
        var auth = HKDF.Extract(HashAlgorithmName.SHA256, Handshakes.Key(1), hs);
        var kProof = Expand(auth, "myvpn v1 client proof", []);
        var th3 = Sha256(th2, r.ClientAuth);
        var kAccept = Expand(auth, "myvpn v1 server accept", th3);
        var grant = new byte[r.ServerAccept.Length - 4 - 16];
        using (var aes = new AesGcm(kAccept, 16))
            aes.Decrypt(new byte[12], r.ServerAccept.AsSpan(4, grant.Length), r.ServerAccept.AsSpan(4 + grant.Length), grant, th3);
        return new Dictionary<string, string>
        {
            ["ClientHello"] = Hex(r.ClientHello),
            ["ServerHello"] = Hex(r.ServerHello),
            ["ClientAuth"] = Hex(r.ClientAuth),
            ["ServerAccept"] = Hex(r.ServerAccept),
            ["SHA-256 of the four frames concatenated"] = Hex(Sha256(r.ClientHello, r.ServerHello, r.ClientAuth, r.ServerAccept)),
            ["shared"] = Hex(shared),
            ["hs"] = Hex(hs),
            ["th1"] = Hex(th1),
            ["k_id"] = Hex(kId),
            ["th2"] = Hex(th2),
            ["auth"] = Hex(auth),
            ["k_proof"] = Hex(kProof),
            ["proof"] = Hex(opened[HandshakeMessage.IdentityLength..]),
            ["th3"] = Hex(th3),
            ["k_accept"] = Hex(kAccept),
            ["grant"] = Hex(grant),
        };
    }

    [Fact]
    public void Every_value_of_the_handshake_vector_in_section_8_is_what_the_code_produces()
    {
        var printed = Values(Code("## 8.", "ClientHello"));
        var computed = Section8FromCode();

        Assert.Equal(computed.Keys.Order(), printed.Keys.Where(computed.ContainsKey).Order());
        Assert.All(computed, value => Assert.Equal((value.Key, value.Value), (value.Key, printed[value.Key])));
    }

    [Fact]
    public void The_identity_line_of_section_8_describes_the_identity_ClientAuth_carries()
    {
        var line = Code("## 8.", "ClientHello").Split('\n').Single(l => l.StartsWith("identity", StringComparison.Ordinal));
        var m = IdentityLine().Match(line);
        Assert.True(m.Success, line);
        var identity = Convert.FromHexString(m.Groups[1].Value + m.Groups[2].Value + new string('0', 2 * int.Parse(m.Groups[3].Value)) + m.Groups[4].Value);
        var computed = Section8FromCode();
        Assert.Equal(computed["th2"], Hex(Sha256(Convert.FromHexString(computed["th1"]), identity)));
    }

    [Fact]
    public void The_TestRandom_blocks_section_8_prints_are_TestRandom_s_output_and_follow_its_definition()
    {
        var blocks = TestRandomLine().Matches(DocText.Section(Spec, "## 8.")).ToList();
        Assert.True(blocks.Count >= 2, "§8 prints no TestRandom blocks");
        foreach (var m in blocks)
        {
            var (seed, block) = (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
            var stream = new byte[32 * (block + 1)];
            new TestRandom(seed).Fill(stream);
            Assert.Equal(m.Groups[3].Value, Hex(stream[(32 * block)..]));

            // the definition in the text: SHA-256 of the seed then the block number, each 4 bytes little-endian
            var input = new byte[8];
            BitConverter.TryWriteBytes(input.AsSpan(0, 4), seed);
            BitConverter.TryWriteBytes(input.AsSpan(4), block);
            Assert.True(BitConverter.IsLittleEndian);
            Assert.Equal(m.Groups[3].Value, Hex(SHA256.HashData(input)));
        }
    }

    [Fact]
    public void TestRandom_draws_run_on_across_block_boundaries_without_gaps()
    {
        var whole = new byte[100];
        new TestRandom(1).Fill(whole);
        var random = new TestRandom(1);
        var pieces = new byte[100];
        random.Fill(pieces.AsSpan(0, 7));
        random.Fill(pieces.AsSpan(7, 30));
        random.Fill(pieces.AsSpan(37, 63));
        Assert.Equal(whole, pieces);
    }

    // ---- §2.2: the curve's numbers ----

    [Fact]
    public void The_field_prime_and_group_order_of_section_2_2_are_P256_s()
    {
        var section = DocText.Section(Spec, "### 2.2");
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var curve = key.ExportExplicitParameters(false).Curve;
        Assert.Equal(Hex(curve.Prime!), CurveNumber("p").Match(section).Groups[1].Value);
        Assert.Equal(Hex(curve.Order!), CurveNumber("n").Match(section).Groups[1].Value);
        Assert.Equal([1], curve.Cofactor!);
    }

    private static Regex CurveNumber(string name) => new($@"\b{name} = `([0-9a-f]{{64}})`");

    // ---- §5.6: the data packet vector ----

    [Fact]
    public void The_data_packet_vector_of_section_5_6_is_what_the_code_seals()
    {
        var printed = Values(Code("### 5.6", "session id"));
        Assert.Equal(Hex(DataVector.ClientToServerKey), printed["client → server key"]);
        Assert.Equal(Hex(DataVector.ServerToClientKey), printed["server → client key"]);
        Assert.Equal(DataVector.SessionId.ToString("x8"), printed["session id"]);
        Assert.Equal(Hex(DataVector.Plaintext), printed["inner packet"]);

        using var client = DataVector.ClientSealer();
        var first = DataVector.Seal(client, DataVector.Plaintext);
        var keepalive = DataVector.Seal(client, []);
        Assert.Equal(Hex(first), printed["IV"] + printed["ciphertext"] + printed["tag"]);
        Assert.Equal(Hex(keepalive), printed["IV#2"] + printed["tag#2"]);
    }

    // ---- §3: the PSK is what the key file's base64 decodes to ----

    [Fact]
    public void The_key_file_line_of_section_3_decodes_to_the_psk_of_section_8()
    {
        var line = KeyFileExample().Match(DocText.Section(Spec, "## 3."));
        Assert.True(line.Success, "§3 shows no key file line");
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "pc1.key");
        KeyFile.Write(path, Convert.FromBase64String(line.Groups[1].Value));
        Assert.Equal(line.Groups[1].Value + "\n", File.ReadAllText(path));
        Assert.Equal(Handshakes.Key(1), KeyFile.Read(path));
    }

    // ---- tables: the names and numbers the page lists are the code's ----

    [Fact]
    public void The_message_types_of_section_2_1_are_HandshakeMessageType_with_the_body_lengths_the_code_sends()
    {
        var rows = DocText.TableRows(DocText.Section(Spec, "### 2.1"), "| type | name |");
        Assert.Equal(
            Enum.GetValues<HandshakeMessageType>().Select(t => ((int)t).ToString() + " " + t),
            rows.Select(r => r[0] + " " + r[1]));

        var r = Record();
        var sent = new[] { r.ClientHello, r.ServerHello, r.ClientAuth, r.ServerAccept, ServerHandshake.RejectFrame(RejectCode.Busy) };
        Assert.Equal(
            sent.Select(frame => Limits(frame[0], frame.Length - HandshakeMessage.HeaderLength)),
            rows.Select(row => row[3].Split(" (")[0]));
        Assert.Equal(HandshakeMessage.MaxFrameLength,
            HandshakeMessage.HeaderLength + Enum.GetValues<HandshakeMessageType>().Max(t => HandshakeMessage.TryGetBodyLimits((byte)t, out _, out var max) ? max : 0));

        // "exactly N" when the type has one length (the one sent), "N..M" when it has a range starting at the length sent
        static string Limits(byte type, int sentLength)
        {
            Assert.True(HandshakeMessage.TryGetBodyLimits(type, out var min, out var max));
            Assert.Equal(min, sentLength);
            return min == max ? $"exactly {min}" : $"{min}..{max}";
        }
    }

    [Fact]
    public void The_grant_extension_example_of_section_2_4_is_what_the_code_writes_and_reads()
    {
        var printed = Values(Code("### 2.4", "extension  01"))["extension"];
        var pushed = new PushedSettings([IPv4Range.Parse("192.168.50.0/24")], [IPv4Address.Parse("10.0.0.1")], ["corp.example"]);
        var bytes = new byte[GrantExtension.LengthOf(pushed)];
        GrantExtension.Write(pushed, bytes);

        Assert.Equal(printed, Hex(bytes));
        Assert.True(GrantExtension.TryRead(Convert.FromHexString(printed), out var read, out _));
        Assert.Equal(pushed, read);
        Assert.Contains($"at most {GrantExtension.MaxLength} extension bytes", DocText.Section(Spec, "### 2.4").ReplaceLineEndings(" "));
    }

    [Fact]
    public void The_ipv6_grant_extension_example_of_section_2_4_is_what_the_code_writes_and_reads()
    {
        var printed = Values(Code("### 2.4", "extension  02"))["extension"];
        var ipv6 = new Ipv6Grant(IPv6Address.Parse("fd00:1:2:3::2"), 64, IPv6Address.Parse("fd00:1:2:3::1"));
        var bytes = new byte[GrantExtension.LengthOf(PushedSettings.None, ipv6)];
        GrantExtension.Write(PushedSettings.None, ipv6, bytes);

        Assert.Equal(printed, Hex(bytes));
        Assert.True(GrantExtension.TryRead(Convert.FromHexString(printed), out var read, out var readIpv6, out _));
        Assert.True(read.IsEmpty);
        Assert.Equal(ipv6, readIpv6);
    }

    [Fact]
    public void The_Reject_Timeout_frame_of_section_2_6_is_the_one_the_server_sends()
    {
        var frame = RejectTimeoutFrame().Match(DocText.Section(Spec, "### 2.6"));
        Assert.True(frame.Success, "§2.6 shows no Reject 7 frame");
        Assert.Equal(Hex(ServerHandshake.RejectFrame(RejectCode.Timeout)), frame.Groups[1].Value.Replace(" ", ""));
    }

    [Fact]
    public void The_sizes_of_section_5_5_are_the_code_s()
    {
        var rows = DocText.TableRows(DocText.Section(Spec, "### 5.5")).ToDictionary(r => r[0], r => r[1]);
        Assert.Equal(WireFormat.MaxInnerPacket.ToString(), rows["largest inner packet"]);
        Assert.Equal((WireFormat.MaxInnerPacket + WireFormat.Overhead).ToString(), rows["largest datagram"]);
        Assert.Equal(new MyVpn.Server.VpnServerOptions { Clients = [] }.Mtu.ToString(), rows["default MTU (tun)"]);
        Assert.Equal(HandshakeMessage.MaxFrameLength.ToString(), rows["largest handshake frame"]);
        Assert.Equal($"1..{HandshakeMessage.MaxNameLength} bytes UTF-8", rows["client name"]);
        Assert.Equal($"{WireFormat.KeyLength} bytes each", rows["PSK, data keys"]);
        Assert.Equal(KeyFile.KeyBytes, WireFormat.KeyLength);
    }

    [Fact]
    public void The_reject_codes_of_section_7_2_are_RejectCode_and_the_server_sends_each_for_the_errors_listed()
    {
        var rows = DocText.TableRows(DocText.Section(Spec, "### 7.2"));
        Assert.Equal(
            Enum.GetValues<RejectCode>().Select(c => ((byte)c).ToString() + " " + c),
            rows.Select(r => r[0] + " " + r[1].Trim('`')));
        foreach (var row in rows)
        {
            var code = Enum.Parse<RejectCode>(row[1].Trim('`'));
            foreach (Match error in Backticked().Matches(row[2]))
                if (Enum.TryParse<HandshakeError>(error.Groups[1].Value, out var e))
                    Assert.Equal((error.Value, code), (error.Value, ServerHandshake.RejectCodeFor(e)));
        }
    }

    [Fact]
    public void The_errors_of_section_7_1_are_HandshakeError()
    {
        var rows = DocText.TableRows(DocText.Section(Spec, "### 7.1"));
        Assert.Equal(Enum.GetNames<HandshakeError>(), rows.Select(r => r[0].Trim('`')));
    }

    [Fact]
    public void The_drop_reasons_of_section_7_3_are_DropReason()
    {
        var rows = DocText.TableRows(DocText.Section(Spec, "### 7.3"));
        Assert.Equal(Enum.GetNames<DropReason>().Order(), rows.Select(r => r[0].Trim('`')).Order());
    }

    [Fact]
    public void The_value_reader_takes_labels_hex_and_continuations_and_skips_remarks()
    {
        var values = Values("""
            ClientHello  (101) 01010061 0440
                               ab
            identity   03 706331 00…00 (61 zero bytes) 0a000007
            grant      0102 18
                       2017  (client → server key)
            first packet (counter 0):
              IV          0102 0000
              tag         a7f6
            second packet:
              IV          0304
            """);
        Assert.Equal("010100610440ab", values["ClientHello"]);
        Assert.False(values.ContainsKey("identity"));
        Assert.Equal("0102182017", values["grant"]);
        Assert.Equal("01020000", values["IV"]);
        Assert.Equal("a7f6", values["tag"]);
        Assert.Equal("0304", values["IV#2"]);
    }

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Remark();

    [GeneratedRegex("^(?:[0-9a-f]{2})+$")]
    private static partial Regex HexToken();

    [GeneratedRegex(@"^identity\s+([0-9a-f]{2}) ([0-9a-f]+) 00…00 \((\d+) zero bytes\) ([0-9a-f]{8})")]
    private static partial Regex IdentityLine();

    [GeneratedRegex(@"TestRandom\((\d+)\)\s+block (\d+)\s+([0-9a-f]{64})")]
    private static partial Regex TestRandomLine();

    [GeneratedRegex(@"`([A-Za-z0-9+/]{43}=)`")]
    private static partial Regex KeyFileExample();

    [GeneratedRegex(@"frame\s+`((?:[0-9a-f]{2} ?)+)`")]
    private static partial Regex RejectTimeoutFrame();

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex Backticked();
}
