using System.Globalization;
using System.Text;

namespace MyVpn.Server;

/// <summary>
/// Text from the network made safe for a log line: a client name (from ClientAuth, or any name a
/// shared-key client picks) cannot end the line, forge another, move the cursor or reorder what a
/// terminal shows. Control characters (C0, DEL, C1) are written as <c>\xNN</c>; line and paragraph
/// separators, bidirectional and other format characters (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069,
/// U+FEFF…) and lone surrogates as <c>\u{XXXX}</c>; a backslash as <c>\\</c>, so an escape can never be
/// confused with text that merely looks like one. Anything else passes unchanged.
/// </summary>
public static class LogText
{
    public static string Escape(string? text)
    {
        if (text is null)
            return "-";
        if (!NeedsEscaping(text))
            return text;
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var rune = new Rune(c, text[i + 1]);
                if (IsUnsafe(rune))
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{{{rune.Value:X}}}");
                else
                    builder.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (c == '\\')
                builder.Append("\\\\");
            else if (c < 0x80 && (c < 0x20 || c == 0x7F))
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else if (char.IsSurrogate(c) || IsUnsafe(new Rune(c)))
                builder.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X4}}}");
            else
                builder.Append(c);
        }
        return builder.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c == '\\' || c >= 0x7F)
            {
                if (c is >= (char)0xA0 and < (char)0xD800 && !IsUnsafe(new Rune(c)))
                    continue;
                return true;
            }
        }
        return false;
    }

    private static bool IsUnsafe(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or
        UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or
        UnicodeCategory.OtherNotAssigned;
}
