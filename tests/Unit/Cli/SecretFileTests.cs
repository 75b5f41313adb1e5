using MyVpn.Cli;
using MyVpn.Cli.Hosting;
using MyVpn.Linux;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// Key files, inline keys and the key log: never through a symbolic link, and checked on the open
/// descriptor (type, owner, mode), so the file checked is the file read.
/// </summary>
public sealed class SecretFileTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public void Key_file_that_is_a_symbolic_link_is_refused_even_to_a_private_key()
    {
        using var dir = new TempDirectory();
        var real = dir.KeyFile("real.key");
        var link = Path.Combine(dir.Path, "link.key");
        File.CreateSymbolicLink(link, real);

        var error = Assert.Throws<ConfigException>(() => KeyFile.Read(link));

        Assert.Equal($"key file {link} is a symbolic link, which is not followed for a secret; give the real file's path", error.Message);
    }

    [Fact]
    public void Key_file_owned_by_another_user_is_refused_with_the_fix()
    {
        using var dir = new TempDirectory();
        var path = dir.KeyFile("theirs.key");
        FileOwners.Chown(path, FileOwners.Nobody);

        var error = Assert.Throws<ConfigException>(() => KeyFile.Read(path));

        Assert.Contains($"owned by uid {FileOwners.Nobody}, neither root nor the user running myvpn", error.Message);
        Assert.Contains($"run: chown {PrivateFile.Caller} {path}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Key_file_that_is_a_fifo_is_refused_without_blocking()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "fifo.key");
        FileOwners.MakeFifo(path);

        var error = Assert.Throws<ConfigException>(() => KeyFile.Read(path));

        Assert.Equal($"key file {path} is not a regular file", error.Message);
    }

    [Fact]
    public void Key_file_that_is_a_directory_is_refused()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "keys");
        Directory.CreateDirectory(path);

        var error = Assert.Throws<ConfigException>(() => KeyFile.Read(path));

        Assert.Equal($"key file {path} is not a regular file", error.Message);
    }

    [Fact]
    public void Key_file_with_surrounding_whitespace_reads_and_an_oversized_one_is_refused()
    {
        using var dir = new TempDirectory();
        var key = KeyFile.NewKey();
        var spaced = dir.File("spaced.key", $"  {Convert.ToBase64String(key)} \r\n\n");
        var huge = dir.File("huge.key", Convert.ToBase64String(key) + new string('\n', 5000));

        Assert.Equal(key, KeyFile.Read(spaced));
        Assert.Contains("larger than 4096 bytes", Assert.Throws<ConfigException>(() => KeyFile.Read(huge)).Message);
    }

    [Fact]
    public void Facts_come_from_the_open_descriptor_not_from_the_name()
    {
        using var dir = new TempDirectory();
        var path = dir.KeyFile("swapped.key");
        var expected = File.ReadAllBytes(path);
        var open = dir.File("open.key", "attacker's bytes", WorldReadable);

        using var handle = PrivateFile.OpenRead(path);
        File.Move(open, path, overwrite: true); // the name now points at another, world-readable file

        var facts = PrivateFile.Stat(handle);
        Assert.True(facts.IsRegular);
        Assert.Equal(Private, facts.Mode);
        var read = new byte[expected.Length];
        Assert.Equal(expected.Length, RandomAccess.Read(handle, read, 0));
        Assert.Equal(expected, read);
        Assert.Equal(WorldReadable, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Client_refuses_an_inline_key_in_a_config_file_others_can_read()
    {
        using var dir = new TempDirectory();
        var config = dir.File("client.toml", $"server = \"192.0.2.1\"\nkey = \"{Convert.ToBase64String(new byte[32])}\"\n", WorldReadable);

        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: config)));

        Assert.Equal($"{config} holds keys but is accessible by group or others (mode 0644); run: chmod 600 {config}", error.Message);
    }

    [Fact]
    public void Client_takes_an_inline_key_from_a_private_config_file()
    {
        using var dir = new TempDirectory();
        var key = KeyFile.NewKey();
        var config = dir.File("client.toml", $"server = \"192.0.2.1\"\nkey = \"{Convert.ToBase64String(key)}\"\n");

        var settings = ClientConfig.Resolve(new ClientFlags(Config: config));

        Assert.Equal(key, settings.Key);
    }

    [Fact]
    public void Inline_keys_in_a_config_file_owned_by_another_user_are_refused_on_both_sides()
    {
        using var dir = new TempDirectory();
        var inline = Convert.ToBase64String(new byte[32]);
        var client = dir.File("client.toml", $"server = \"192.0.2.1\"\nkey = \"{inline}\"\n");
        var server = dir.File("server.toml", $"[[clients]]\nname = \"a\"\nkey = \"{inline}\"\n");
        FileOwners.Chown(client, FileOwners.Nobody);
        FileOwners.Chown(server, FileOwners.Nobody);

        var clientError = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: client)));
        var serverError = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: server)));

        Assert.StartsWith($"{client} holds keys but is owned by uid {FileOwners.Nobody}", clientError.Message);
        Assert.StartsWith($"{server} holds keys but is owned by uid {FileOwners.Nobody}", serverError.Message);
    }

    [Fact]
    public void Settings_wipe_every_key_they_read_when_the_daemon_stops()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("own.key");
        var shared = dir.KeyFile("shared.key");
        var config = dir.File("server.toml", $"key_file = \"shared.key\"\n[[clients]]\nname = \"a\"\nkey_file = \"own.key\"\n[[clients]]\nname = \"b\"\nkey = \"{Convert.ToBase64String(KeyFile.NewKey())}\"\n");
        var server = ServerConfig.Resolve(new ServerFlags(Config: config));
        var client = ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1", KeyFile: shared));
        Assert.All(server.Clients, c => Assert.True(c.Key.AsSpan().ContainsAnyExcept((byte)0)));

        server.WipeKeys();
        client.WipeKeys();

        Assert.False(server.SharedKey.AsSpan().ContainsAnyExcept((byte)0));
        Assert.All(server.Clients, c => Assert.False(c.Key.AsSpan().ContainsAnyExcept((byte)0)));
        Assert.False(client.Key.AsSpan().ContainsAnyExcept((byte)0));
    }

    [Fact]
    public void Key_log_is_created_with_mode_0600_and_appended_to()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "keys.log");

        using (var writer = KeyLogFile.Create(path))
            writer.Write(new MyVpn.Protocol.SessionKeys(1, new byte[32], new byte[32]));
        using (var writer = KeyLogFile.Create(path))
            writer.Write(new MyVpn.Protocol.SessionKeys(2, new byte[32], new byte[32]));

        Assert.Equal(Private, File.GetUnixFileMode(path) & ~UnixFileMode.UserExecute);
        var lines = File.ReadAllLines(path);
        Assert.Single(lines, l => l.StartsWith('#'));
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Key_log_that_is_a_symbolic_link_is_refused_and_its_target_untouched()
    {
        using var dir = new TempDirectory();
        var target = dir.File("passwd", "root:x:0:0\n");
        var link = Path.Combine(dir.Path, "keys.log");
        File.CreateSymbolicLink(link, target);

        var error = Assert.Throws<ConfigException>(() => KeyLogFile.Open(link, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Equal($"--keylog {link} is a symbolic link, which is not followed for a secret; give the real file's path", error.Message);
        Assert.Equal("root:x:0:0\n", File.ReadAllText(target));
    }

    [Fact]
    public void Existing_key_log_others_can_read_is_refused_not_written()
    {
        using var dir = new TempDirectory();
        var path = dir.File("keys.log", "", WorldReadable);

        var error = Assert.Throws<ConfigException>(() => KeyLogFile.Open(path, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Equal($"--keylog {path} is accessible by group or others (mode 0644); run: chmod 600 {path}", error.Message);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void Existing_key_log_owned_by_another_user_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("keys.log", "");
        FileOwners.Chown(path, FileOwners.Nobody);

        var error = Assert.Throws<ConfigException>(() => KeyLogFile.Open(path, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Contains($"owned by uid {FileOwners.Nobody}", error.Message);
        Assert.Equal(0, new FileInfo(path).Length);
    }
}
