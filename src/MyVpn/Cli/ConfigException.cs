using System.Text;

namespace MyVpn.Cli;

/// <summary>
/// A setting is missing or wrong; the message says which and where (file and key, or flag). It is always
/// one line: control characters that came from the file (a line break in a value, a key or a name) are
/// shown escaped, as \n or \u001b.
/// </summary>
internal sealed class ConfigException(string message, Exception? inner = null) : Exception(OneLine(message), inner)
{
    internal static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
            return text;
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => builder.Append(@"\n"),
                '\r' => builder.Append(@"\r"),
                '\t' => builder.Append(@"\t"),
                _ when char.IsControl(c) => builder.Append($"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }
        return builder.ToString();
    }
}
