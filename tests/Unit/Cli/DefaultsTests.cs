using System.Text.RegularExpressions;
using MyVpn.Captures;
using MyVpn.Cli;
using MyVpn.Client;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// Each default has one source: the engines' options (<see cref="VpnServerOptions"/>, <see cref="VpnClientOptions"/>)
/// and the wire format's ports (<see cref="WireFormat"/>). What the command line documents, what a bare command line
/// resolves to, what the capture tools look for and what the simulator's seed network runs all agree with it.
/// </summary>
public sealed partial class DefaultsTests
{
    private static readonly VpnServerOptions Engine = new();

    private static string Help(params string[] command)
    {
        var output = new StringWriter();
        var exit = MyVpn.Cli.CommandLine.Build().Parse([.. command, "--help"])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
        return Whitespace().Replace(output.ToString(), " ");
    }

    /// <summary>The value in the "[default: ...]" that ends <paramref name="option"/>'s line of the help.</summary>
    private static string DocumentedDefault(string help, string option)
    {
        var match = Regex.Match(help, Regex.Escape(option) + @" <[^>]+> [^\[]*\[default: ([^\]]+)\]");
        Assert.True(match.Success, $"{option} documents no default");
        return match.Groups[1].Value;
    }

    private static string Seconds(TimeSpan span) => ((int)span.TotalSeconds).ToString();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [Fact]
    public void Server_help_documents_the_server_engines_defaults_and_the_handshake_port()
    {
        var help = Help("server");

        Assert.Equal($"0.0.0.0:{WireFormat.DefaultHandshakePort}", DocumentedDefault(help, "--listen"));
        Assert.Equal(Engine.Subnet.ToString(), DocumentedDefault(help, "--subnet"));
        Assert.Equal($"{Engine.FirstPort}-{Engine.LastPort}", DocumentedDefault(help, "--ports"));
        Assert.Equal(Engine.Mtu.ToString(), DocumentedDefault(help, "--mtu"));
        Assert.Equal(Seconds(Engine.KeepaliveInterval), DocumentedDefault(help, "--keepalive"));
        Assert.Equal(Seconds(Engine.RekeyInterval), DocumentedDefault(help, "--rekey-interval"));
        Assert.Equal(Engine.MaxSharedKeySessions.ToString(), DocumentedDefault(help, "--max-sessions"));
        Assert.Contains($"a client re-handshakes after {VpnClientOptions.DefaultDeadAfterKeepalives} silent intervals", help);
    }

    [Fact]
    public void A_server_command_line_that_sets_nothing_gives_the_engine_its_own_defaults()
    {
        using var dir = new TempDirectory();

        var config = ServerConfig.Resolve(new ServerFlags(KeyFile: dir.KeyFile("psk.key")));
        var options = config.ToOptions(null);

        Assert.Equal(new NetEndpoint(IPv4Address.Parse("0.0.0.0"), WireFormat.DefaultHandshakePort), config.Listen);
        Assert.Equal(Engine.Subnet, options.Subnet);
        Assert.Equal(Engine.EffectiveServerAddress, options.EffectiveServerAddress);
        Assert.Equal((Engine.FirstPort, Engine.LastPort), (options.FirstPort, options.LastPort));
        Assert.Equal(Engine.Mtu, options.Mtu);
        Assert.Equal(Engine.KeepaliveInterval, options.KeepaliveInterval);
        Assert.Equal(Engine.RekeyInterval, options.RekeyInterval);
        Assert.Equal(Engine.MaxSharedKeySessions, options.MaxSharedKeySessions);
        Assert.Equal(Engine.ClientToClient, options.ClientToClient);
    }

    [Fact]
    public void A_client_server_address_without_a_port_uses_the_handshake_port_the_help_names()
    {
        using var dir = new TempDirectory();
        var config = ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.7", KeyFile: dir.KeyFile("psk.key")));

        Assert.Equal(new NetEndpoint(IPv4Address.Parse("192.0.2.7"), WireFormat.DefaultHandshakePort), config.ResolveServer());
        Assert.Contains($"port {WireFormat.DefaultHandshakePort} if left out", Help("client"));
        Assert.Contains($"--server SERVER:{WireFormat.DefaultHandshakePort} ", Help());
    }

    [Fact]
    public void The_capture_tools_look_for_the_servers_default_ports()
    {
        var captures = new CaptureOptions();
        var help = Help("pcap", "inspect");

        Assert.Equal((WireFormat.DefaultHandshakePort, Engine.FirstPort, Engine.LastPort),
            (captures.HandshakePort, captures.FirstSessionPort, captures.LastSessionPort));
        Assert.Equal($"{Engine.FirstPort}-{Engine.LastPort}", DocumentedDefault(help, "--ports"));
        Assert.Equal(WireFormat.DefaultHandshakePort.ToString(), DocumentedDefault(help, "--handshake-port"));
        Assert.Contains($"'tcp port {WireFormat.DefaultHandshakePort} or udp portrange {Engine.FirstPort}-{Engine.LastPort}'", Help("pcap"));
    }

    [Fact]
    public void The_simulators_seed_network_runs_the_daemons_defaults()
    {
        var seed = new SeedNetworkOptions();

        Assert.Equal(WireFormat.DefaultHandshakePort, SeedNetwork.HandshakePort);
        Assert.Equal((Engine.Subnet, Engine.FirstPort, Engine.LastPort), (seed.Subnet, seed.FirstPort, seed.LastPort));
    }
}
