using System.Globalization;
using System.Text;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>Names from the network reach the log escaped: no control, separator or bidi character survives.</summary>
public sealed class LogEscapingTests
{
    /// <summary>A name built to forge log lines, clear the terminal and reverse what follows; 1..64 UTF-8 bytes, as the handshake allows.</summary>
    private const string HostileName = "a\nb\r\x1b[2J\x00\x7f\u0085\u2028\u2029\u202e\u2066\\x41\t";

    private static bool IsUnsafe(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static void AssertClean(string line) =>
        Assert.False(line.EnumerateRunes().Any(IsUnsafe), $"unsafe character in the log line: {LogText.Escape(line)}");

    [Theory]
    [InlineData("pc1", "pc1")]
    [InlineData("Zoë's laptop 🚀", "Zoë's laptop 🚀")]
    [InlineData("a\nb", "a\\x0Ab")]
    [InlineData("\r\t\x00\x1b\x7f", "\\x0D\\x09\\x00\\x1B\\x7F")]
    [InlineData("\u0085\u009b", "\\u{0085}\\u{009B}")]
    [InlineData("x\u2028y\u2029z", "x\\u{2028}y\\u{2029}z")]
    [InlineData("\u202eevil\u202c\u2066\u2069\u200e\u200f\u061c\ufeff\u200b", "\\u{202E}evil\\u{202C}\\u{2066}\\u{2069}\\u{200E}\\u{200F}\\u{061C}\\u{FEFF}\\u{200B}")]
    [InlineData("back\\slash \\x0A", "back\\\\slash \\\\x0A")]
    [InlineData("\U000E0041tag", "\\u{E0041}tag")]
    public void Escape_shows_every_unsafe_character_as_an_escape(string name, string expected)
    {
        Assert.Equal(expected, LogText.Escape(name));
        AssertClean(LogText.Escape(name));
    }

    [Fact]
    public void Escape_shows_a_lone_surrogate_as_an_escape()
    {
        Assert.Equal("\\u{D800}lone\\u{DC00}", LogText.Escape("\ud800lone\udc00"));
    }

    [Fact]
    public void Escape_of_a_name_full_of_control_characters_is_one_clean_line()
    {
        var all = new StringBuilder();
        for (var c = 0; c < 0xA0; c++)
            if (c < 0x20 || c >= 0x7F)
                all.Append((char)c);
        all.Append("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069");

        var escaped = LogText.Escape(all.ToString());

        AssertClean(escaped);
        Assert.True(escaped.All(c => c is >= ' ' and < (char)0x7F));
        Assert.StartsWith("\\x00\\x01", escaped);
        Assert.Contains("\\x7F\\u{0080}", escaped);
    }

    [Fact]
    public void Shared_key_client_with_a_hostile_name_is_logged_escaped_on_success_and_on_rekey()
    {
        var log = new ListLogger<VpnServer>();
        using var world = new EngineWorld(new VpnServerOptions { SharedKey = Handshakes.Key(42) }, serverLogger: log);

        Assert.True(world.Connect(HostileName, keyFill: 42).IsConnected);
        Assert.True(world.Connect(HostileName, keyFill: 42).IsConnected); // the same name again: a rekey of its session

        var lines = log.Lines.Select(l => l.Message).ToList();
        Assert.Contains(lines, l => l.StartsWith("handshake ok: client " + LogText.Escape(HostileName) + " from"));
        Assert.Contains(lines, l => l.StartsWith("rekey: client " + LogText.Escape(HostileName) + " from"));
        Assert.All(lines, AssertClean);
    }

    [Fact]
    public void Unknown_hostile_name_is_logged_escaped_in_the_refusal()
    {
        var log = new ListLogger<VpnServer>();
        using var world = new EngineWorld(new VpnServerOptions { Clients = [new ClientEntry("pc1", Handshakes.Key(1))] }, serverLogger: log);

        Assert.False(world.Connect(HostileName, keyFill: 1).IsConnected);

        var refusal = Assert.Single(log.Lines, l => l.Message.StartsWith("handshake failed"));
        Assert.Contains($"UnknownClient (client name: {LogText.Escape(HostileName)});", refusal.Message);
        Assert.All(log.Lines, l => AssertClean(l.Message));
    }
}
