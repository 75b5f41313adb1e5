using System.CommandLine;
using MyVpn.Cli.Hosting;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// <c>myvpn server --check</c> and <c>myvpn client --check</c>: validate the configuration without starting
/// anything (no root, no tun device), print "FILE: ok" and exit 0, or the one-line error and exit 2.
/// </summary>
public sealed class CheckOptionTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = MyVpn.Cli.CommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_valid_server_config_prints_ok_and_exits_0()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("server.toml", "ports = \"41000-41010\"\n[[clients]]\nname = \"pc1\"\nkey_file = \"pc1.key\"\n");

        var (exit, output, error) = Run("server", "--check", "-c", config);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal($"{config}: ok\n", output);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("ports = \"41000-\"\n", "ports '41000-'")]
    [InlineData("[[clients]]\nname = \"pc1\"\nkey_file = \"missing.key\"\n", "missing.key")]
    [InlineData("subnet = \"10.0.0.0/33\"\nkey_file = \"psk.key\"\n", "subnet")]
    [InlineData("key_file = \"psk.key\"\nport = 1\n", "unknown key 'port'")]
    [InlineData("key_file = \"open.key\"\n", "chmod 600")]
    public void A_bad_server_config_prints_one_line_naming_it_and_exits_2(string text, string named)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        dir.KeyFile("open.key", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var config = dir.File("server.toml", text);

        var (exit, output, error) = Run("server", "--check", "-c", config);

        Assert.Equal(ExitCodes.ConfigInvalid, exit);
        Assert.Empty(output);
        Assert.StartsWith("myvpn server: ", error);
        Assert.Contains(named, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("server")]
    [InlineData("client")]
    public void A_missing_config_file_is_named_with_what_to_do(string command)
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "nope.toml");

        var (exit, _, error) = Run(command, "--check", "-c", missing);

        Assert.Equal(ExitCodes.ConfigInvalid, exit);
        Assert.Equal($"myvpn {command}: config file {missing} does not exist: give the path of an existing TOML file with -c (examples/ has commented ones)\n", error);
    }

    [Fact]
    public void Server_check_without_a_config_or_key_says_what_to_give()
    {
        var (exit, _, error) = Run("server", "--check");

        Assert.Equal(ExitCodes.ConfigInvalid, exit);
        Assert.Contains("give --config FILE or --key-file FILE", error);
    }

    [Fact]
    public void A_valid_client_config_prints_ok_and_exits_0()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("client.toml", "server = \"vpn.example.org:9525\"\nname = \"pc1\"\nkey_file = \"pc1.key\"\n");

        var (exit, output, _) = Run("client", "--check", "-c", config);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal($"{config}: ok\n", output);
    }

    [Theory]
    [InlineData("server = \"vpn.example.org:99999\"\nkey_file = \"pc1.key\"\n", "port")]
    [InlineData("server = \"vpn.example.org\"\nkey_file = \"pc1.key\"\nthreads = 0\n", "threads")]
    [InlineData("key_file = \"pc1.key\"\n", "no server")]
    public void A_bad_client_config_prints_one_line_naming_it_and_exits_2(string text, string named)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("client.toml", text);

        var (exit, output, error) = Run("client", "--check", "-c", config);

        Assert.Equal(ExitCodes.ConfigInvalid, exit);
        Assert.Empty(output);
        Assert.StartsWith("myvpn client: ", error);
        Assert.Contains(named, error);
    }
}
