using MyVpn.Cli;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("server", "--config", "--listen", "--subnet", "--key-file", "--ports", "--masquerade", "--tun", "--keepalive", "--rekey-interval", "--no-offload", "--threads", "--max-sessions", "--check")]
    [InlineData("client", "--config", "--server", "--key-file", "--name", "--default-route", "--tun", "--no-offload", "--threads", "--check")]
    [InlineData("genkey", "--output")]
    [InlineData("reload", "--tun", "SIGHUP", "refused")]
    public void Help_lists_every_option(string command, params string[] options)
    {
        var output = new StringWriter();
        var result = MyVpn.Cli.CommandLine.Build().Parse([command, "--help"]);

        var exit = result.Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        Assert.Equal(0, exit);
        Assert.All(options, option => Assert.Contains(option, output.ToString()));
    }

    [Theory]
    [InlineData("pcap", "Ethernet", "Linux cooked (SLL)", "raw IP", "Exit status: 0", "4 the capture shows a problem")]
    [InlineData("pcap inspect", "--ports", "--handshake-port", "messages in order", "packets, bytes and keepalives",
        "whether any IV repeats", "not MyVpn", "Exit status: 0 clean; 4", "1 the capture cannot be read")]
    [InlineData("pcap decrypt", "--keylog", "--output", "--ports", "link type raw IP", "original timestamps", "decrypted",
        "keepalives", "no key in the log", "failed authentication", "Exit status: 0", "4 some failed authentication", "1 the capture or")]
    public void Pcap_help_says_what_is_read_what_is_counted_and_the_exit_status(string command, params string[] phrases)
    {
        var output = new StringWriter();
        var result = MyVpn.Cli.CommandLine.Build().Parse([.. command.Split(' '), "--help"]);

        var exit = result.Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        Assert.Equal(0, exit);
        var help = System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"\s+", " ");
        Assert.All(phrases, phrase => Assert.Contains(phrase, help));
    }

    [Fact]
    public void Server_key_file_help_says_the_shared_key_serves_any_name_not_listed()
    {
        var output = new StringWriter();
        var result = MyVpn.Cli.CommandLine.Build().Parse(["server", "--help"]);

        result.Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        // The engine looks a client's name up in [[clients]] and falls back to the shared key for any
        // other name (VpnServer.KeyFor): there is no reserved name such as "default".
        var help = System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"\s+", " ");
        Assert.Contains("any name not listed in [[clients]]", help);
        Assert.DoesNotContain("'default'", help);
    }

    [Theory]
    [InlineData("server", "--bogus")]
    [InlineData("client", "--default-route", "maybe")]
    [InlineData("frobnicate")]
    public void Unknown_arguments_are_parse_errors(params string[] args)
    {
        var result = MyVpn.Cli.CommandLine.Build().Parse(args);

        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Server_without_config_or_key_file_exits_1_saying_what_is_needed()
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(1, MyVpn.Cli.CommandLine.Run(["server"]));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains("give --config FILE or --key-file FILE", error.ToString());
    }
}
