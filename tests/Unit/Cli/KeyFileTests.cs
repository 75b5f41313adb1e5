using MyVpn.Cli;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

public sealed class KeyFileTests
{
    [Fact]
    public void Written_key_file_is_private_and_reads_back()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "new.key");
        var key = KeyFile.NewKey();

        KeyFile.Write(path, key);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key, KeyFile.Read(path));
    }

    [Fact]
    public void Existing_file_is_not_overwritten()
    {
        using var dir = new TempDirectory();
        var path = dir.File("taken.key", "mine");

        var error = Assert.Throws<ConfigException>(() => KeyFile.Write(path, KeyFile.NewKey()));

        Assert.Contains("already exists", error.Message);
        Assert.Equal("mine", File.ReadAllText(path));
    }

    [Fact]
    public void Key_file_others_can_read_is_refused_with_the_fix()
    {
        using var dir = new TempDirectory();
        var path = dir.KeyFile("open.key", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<ConfigException>(() => KeyFile.Read(path));

        Assert.Contains("mode 0644", error.Message);
        Assert.Contains($"chmod 600 {path}", error.Message);
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("AAAA")]
    [InlineData("")]
    public void Key_file_without_a_256_bit_key_is_refused(string contents)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.key", contents);

        var error = Assert.Throws<ConfigException>(() => KeyFile.Read(path));

        Assert.Contains("does not hold a base64 256-bit key", error.Message);
    }

    [Fact]
    public void Missing_key_file_is_named()
    {
        var error = Assert.Throws<ConfigException>(() => KeyFile.Read("/nonexistent/psk.key"));

        Assert.Contains("/nonexistent/psk.key", error.Message);
    }
}
