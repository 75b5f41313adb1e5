using MyVpn.Cli;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// What a key file may hold (docs/protocol.md §3): the standard base64 of exactly 32 bytes, '=' padding
/// included, with any spaces, tabs, CRs and LFs around it; the PSK is the 32 bytes it decodes to.
/// </summary>
public sealed class KeyFileFormatTests
{
    /// <summary>The PSK 01 × 32 of the handshake vector.</summary>
    private const string Ones = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    private static byte[] Read(string contents)
    {
        using var dir = new TempDirectory();
        return KeyFile.Read(dir.File("psk.key", contents));
    }

    private static void Refused(string contents)
    {
        using var dir = new TempDirectory();
        var path = dir.File("psk.key", contents);
        var error = Assert.Throws<ConfigException>(() => KeyFile.Read(path));
        Assert.Contains("does not hold a base64 256-bit key", error.Message);
    }

    [Theory]
    [InlineData(Ones)]
    [InlineData(Ones + "\n")]
    [InlineData(Ones + "\r\n")]
    [InlineData("\n\n  \t" + Ones + " \t\r\n\n")]
    public void The_key_is_the_32_bytes_its_base64_decodes_to_whatever_whitespace_surrounds_it(string contents)
    {
        Assert.Equal(Enumerable.Repeat((byte)1, 32).ToArray(), Read(contents));
    }

    [Fact]
    public void Genkey_writes_one_line_of_44_characters_and_a_newline_that_reads_back_as_the_key()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "new.key");
        var key = KeyFile.NewKey();
        KeyFile.Write(path, key);
        var text = File.ReadAllText(path);
        Assert.Equal(45, text.Length);
        Assert.EndsWith("=\n", text);
        Assert.Equal(key, KeyFile.Read(path));
    }

    [Theory]
    [InlineData("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE")]      // padding left out
    [InlineData("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB")]     // 33 bytes
    [InlineData("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ==")]     // 31 bytes
    [InlineData("_-EBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")]     // base64url alphabet
    [InlineData("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE= # pc1")] // a comment
    [InlineData("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")] // two keys
    public void Anything_else_is_refused(string contents) => Refused(contents);

    [Fact]
    public void Whitespace_inside_the_base64_is_allowed_as_the_decoder_skips_it()
    {
        Assert.Equal(Enumerable.Repeat((byte)1, 32).ToArray(), Read("AQEBAQEBAQEBAQEBAQEBAQEB\nAQEBAQEBAQEBAQEBAQE=\n"));
    }

    [Fact]
    public void A_file_over_4096_bytes_is_refused_before_decoding()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.key", Ones + new string('\n', 4096));
        var error = Assert.Throws<ConfigException>(() => KeyFile.Read(path));
        Assert.Contains("larger than 4096 bytes", error.Message);
    }
}
