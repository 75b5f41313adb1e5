using System.Text;
using CsCheck;
using MyVpn.Cli;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Cli;
using Xunit;

namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>
/// Property tests over the config files: server.toml and client.toml, random (made of the real keys with
/// values of every TOML type) and mutated valid ones, resolved into <see cref="ServerConfig"/> and
/// <see cref="ClientConfig"/>. Either the settings come out valid, or a <see cref="ConfigException"/>
/// with a one-line message does; nothing else escapes.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class ConfigFuzzTests : IDisposable
{
    private static readonly string Key = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)(7 * i))]);
    private readonly TempDirectory _dir = new();
    private int _files;

    public ConfigFuzzTests()
    {
        foreach (var name in new[] { "pc1.key", "pc2.key", "laptop.key", "psk.key" })
            _dir.KeyFile(name);
        _dir.KeyFile("open.key", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
    }

    public void Dispose() => _dir.Dispose();

    private static string Example(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
                return File.ReadAllText(Path.Combine(dir.FullName, "examples", name));
        throw new InvalidOperationException("MyVpn.sln not found");
    }

    private static readonly byte[][] ServerCorpus =
    [
        Encoding.UTF8.GetBytes(Example("server.toml")),
        Encoding.UTF8.GetBytes($"""
            listen = "127.0.0.1:9600"
            subnet = "10.9.0.0/16"
            address = "10.9.0.1"
            ports = "41000-41009"
            tun = "vpn-test"
            masquerade = "eth0"
            mtu = 1400
            keepalive = 25
            rekey_interval = 60
            key_file = "psk.key"
            log_level = "debug"
            offload = false
            threads = 2
            block = ["192.168.0.0/16", "10.9.200.0/24"]
            allow = ["169.254.169.123/32"]
            client_to_client = false

            [[clients]]
            name = "pc1"
            key = "{Key}"
            address = "10.9.3.4"

            [[clients]]
            name = "é-laptop"
            key_file = "laptop.key"
            """),
    ];

    private static readonly byte[][] ClientCorpus =
    [
        Encoding.UTF8.GetBytes(Example("client.toml")),
        Encoding.UTF8.GetBytes($"""
            server = "192.0.2.7:9600"
            name = "pc2"
            key = "{Key}"
            tun = "tun9"
            default_route = true
            log_level = "warning"
            offload = false
            threads = 1
            """),
    ];

    private static readonly string[] ServerKeys =
        ["listen", "subnet", "address", "ports", "tun", "masquerade", "mtu", "keepalive", "key_file", "log_level", "offload", "threads",
         "key", "rekey_interval", "block", "allow", "client_to_client", "max_sessions", "Subnet", "nosuchkey"];

    private static readonly string[] ClientKeys =
        ["server", "name", "key", "key_file", "tun", "default_route", "log_level", "offload", "threads", "address", "nosuchkey"];

    private static readonly string[] EntryKeys = ["name", "key", "key_file", "address", "port", "Name"];

    private static readonly string[] InterestingStrings =
    [
        "", " ", "10.0.0.0/24", "10.0.0.0/8", "10.0.0.0/31", "10.0.0.0/99", "10.0.0.0/", "/24", "10.0.0.1", "10.0.0.2", "10.0.0.0",
        "10.0.0.255", "10.1.0.2", "256.0.0.1", "1.2.3", "1.2.3.4.5", "-1.0.0.0", "0.0.0.0:9525", "127.0.0.1:0", "127.0.0.1:65536",
        ":9525", "127.0.0.1", "host:", "vpn.example.org:9525", "40000-40999", "1-0", "0-10", "5-5", "-", "1-2-3", "65535-65535",
        "tun0", "eth0", "a-very-long-interface", "tun0/../x", "pc1", "pc2", "default", "pc1.key", "psk.key", "open.key", "nofile.key",
        "../pc1.key", ".", "info", "INFO", "trace", "bogus", "auto", "1", Key, Key[..20], Key + Key, "a\nb", "line\r\nbreak",
        "nul\u0000byte", "\u001b[31mred", "tab\there", "é", new string('x', 70), new string('é', 40), "\uFFFD", "pc1.key\u0000", "169.254.0.0/16", "0.0.0.0/0", "10.0.0.1/32", "192.168.1.0/24",
    ];

    private static readonly long[] InterestingIntegers =
        [0, 1, -1, 2, 3, 16, 17, 575, 576, 1420, 9000, 9001, 3600, 3601, 65535, 65536, int.MaxValue, int.MinValue, 2147483648, long.MaxValue, long.MinValue];

    /// <summary>A TOML basic string holding exactly <paramref name="text"/> (control characters escaped).</summary>
    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\')
                builder.Append('\\').Append(c);
            else if (char.IsControl(c) || char.IsSurrogate(c))
                builder.Append($"\\u{(int)c:X4}");
            else
                builder.Append(c);
        }
        return builder.Append('"').ToString();
    }

    private static readonly Gen<string> Values = Gen.Recursive<string>((depth, values) =>
    {
        var choices = new List<(int, IGen<string>)>
        {
            (6, Gen.Frequency((2, Gen.OneOf<string>(InterestingStrings)), (1, Gen.String[0, 20])).Select(Quote)),
            (4, Gen.Frequency((2, Gen.OneOf<long>(InterestingIntegers)), (1, Gen.Long)).Select(i => i.ToString())),
            (1, Gen.OneOf<string>("99999999999999999999", "-9223372036854775809", "0x10", "0o17", "0b11", "+5", "1_000", "01")),
            (1, Gen.OneOf<string>("1.5", "1e3", "inf", "nan", "-0.0", "1e400")),
            (2, Gen.OneOf<string>("true", "false", "True")),
            (1, Gen.OneOf<string>("1979-05-27T07:32:00Z", "1979-05-27", "07:32:00")),
            (1, Gen.OneOf<string>("'literal'", "'''multi\nline'''", "\"\"\"multi\nline\"\"\"")),
        };
        if (depth < 2)
        {
            choices.Add((1, values.Array[0, 3].Select(items => $"[{string.Join(", ", items)}]")));
            choices.Add((1, Gen.Select(Gen.OneOf<string>(EntryKeys), values).Array[0, 2]
                .Select(items => "{" + string.Join(", ", items.DistinctBy(i => i.Item1).Select(i => $"{i.Item1} = {i.Item2}")) + "}")));
        }
        return Gen.Frequency([.. choices]);
    });

    private static Gen<string> Lines(string[] keys) => Gen.Frequency(
        (12, Gen.Select(Gen.OneOf<string>(keys), Values, (key, value) => $"{key} = {value}")),
        (1, Gen.OneOf<string>("[clients]", "[other]", "key = ", "= 1", "[[clients]", "\"quoted\nkey\" = 1", "\"a\\nb\" = 1", "x.y = 1", "# comment")),
        (1, Gen.String[0, 30]));

    private static string Document(string[] top, string[][] tables) =>
        string.Join("\n", top) + "\n" + string.Concat(tables.Select(t => "\n[[clients]]\n" + string.Join("\n", t) + "\n"));

    private static readonly Gen<byte[]> ServerTexts = Gen.Frequency(
        (1, Gen.Select(Lines(ServerKeys).Array[0, 10], Lines(EntryKeys).Array[0, 5].Array[0, 3], Document).Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Select(Gen.Int[0, ServerCorpus.Length - 1], FuzzGen.Mutations,
            (i, mutations) => Mutation.ApplyAll(ServerCorpus[i], mutations, [.. ServerCorpus, .. ClientCorpus]))));

    private static readonly Gen<byte[]> ClientTexts = Gen.Frequency(
        (1, Gen.Select(Lines(ClientKeys).Array[0, 10], Gen.Const(Array.Empty<string[]>()), Document).Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Select(Gen.Int[0, ClientCorpus.Length - 1], FuzzGen.Mutations,
            (i, mutations) => Mutation.ApplyAll(ClientCorpus[i], mutations, [.. ClientCorpus, .. ServerCorpus]))));

    private string WriteConfig(byte[] text, bool private_)
    {
        var path = Path.Combine(_dir.Path, $"case-{Interlocked.Increment(ref _files)}.toml");
        File.WriteAllBytes(path, text);
        File.SetUnixFileMode(path, private_
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    private static void AssertOneLine(ConfigException e)
    {
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        Assert.False(e.Message.Any(char.IsControl), $"control character in: {e.Message}");
    }

    [Fact]
    public void Any_server_config_yields_valid_settings_or_a_one_line_ConfigException()
    {
        Fuzz.Check(Gen.Select(ServerTexts, Gen.Frequency((5, Gen.Const(true)), (1, Gen.Const(false)))), (text, private_) =>
        {
            var path = WriteConfig(text, private_);
            try
            {
                ServerConfig settings;
                try
                {
                    settings = ServerConfig.Resolve(new ServerFlags(Config: path));
                }
                catch (ConfigException e)
                {
                    AssertOneLine(e);
                    Assert.False(private_ && ServerCorpus.Any(c => c.AsSpan().SequenceEqual(text)), $"a valid config was refused: {e.Message}");
                    return;
                }
                AssertValid(settings);
            }
            finally
            {
                File.Delete(path);
            }
        });
    }

    private static void AssertValid(ServerConfig s)
    {
        Assert.True(s.Subnet.Contains(s.ServerAddress));
        Assert.True(s.ServerAddress != s.Subnet.Network && s.ServerAddress != s.Subnet.Broadcast);
        Assert.InRange(s.FirstPort, (ushort)1, s.LastPort);
        Assert.InRange(s.Mtu, 576, 9000);
        Assert.InRange(s.Keepalive, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3600));
        Assert.InRange(s.Tun.Length, 1, 15);
        Assert.True(s.Clients.Count > 0 || s.SharedKey is not null);
        Assert.Equal(s.Clients.Count, s.Clients.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        if (s.SharedKey is not null)
            Assert.Equal(WireFormat.KeyLength, s.SharedKey.Length);
        foreach (var client in s.Clients)
        {
            Assert.InRange(Encoding.UTF8.GetByteCount(client.Name), 1, HandshakeMessage.MaxNameLength);
            Assert.Equal(WireFormat.KeyLength, client.Key.Length);
            if (client.StaticAddress is { } address)
            {
                Assert.True(s.Subnet.Contains(address));
                Assert.NotEqual(s.ServerAddress, address);
            }
        }
    }

    [Fact]
    public void Any_client_config_yields_valid_settings_or_a_one_line_ConfigException()
    {
        Fuzz.Check(Gen.Select(ClientTexts, Gen.Frequency((5, Gen.Const(true)), (1, Gen.Const(false)))), (text, private_) =>
        {
            var path = WriteConfig(text, private_);
            try
            {
                ClientConfig settings;
                try
                {
                    settings = ClientConfig.Resolve(new ClientFlags(Config: path));
                    Assert.False(string.IsNullOrEmpty(settings.Server));
                    Assert.Equal(WireFormat.KeyLength, settings.Key.Length);
                    Assert.InRange(Encoding.UTF8.GetByteCount(settings.Name), 1, HandshakeMessage.MaxNameLength);
                    Assert.InRange(settings.Tun.Length, 1, 15);
                    // The server's address, when it is a literal (names would need DNS), resolves or is a ConfigException.
                    var colon = settings.Server.LastIndexOf(':');
                    if (IPv4Address.TryParse(colon < 0 ? settings.Server : settings.Server[..colon], out _))
                        settings.ResolveServer();
                }
                catch (ConfigException e)
                {
                    AssertOneLine(e);
                    Assert.False(private_ && ClientCorpus.Any(c => c.AsSpan().SequenceEqual(text)), $"a valid config was refused: {e.Message}");
                }
            }
            finally
            {
                File.Delete(path);
            }
        });
    }
}
