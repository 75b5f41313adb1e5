using System.Globalization;
using MyVpn.Protocol;

namespace MyVpn.Captures;

/// <summary>
/// The key log format (docs/keylog.md), one session a line, in the spirit of the NSS key log:
/// <c>MYVPN_SESSION &lt;session id: 8 hex&gt; &lt;client-to-server key: 64 hex&gt; &lt;server-to-client key: 64 hex&gt;</c>.
/// Lines starting with # are comments.
/// </summary>
public static class KeyLog
{
    public const string Label = "MYVPN_SESSION";
    public const string Header = "# MyVpn key log v1: MYVPN_SESSION <session id> <client-to-server key> <server-to-client key> (hex)";

    public static string Format(SessionKeys keys) =>
        $"{Label} {keys.SessionId:x8} {Convert.ToHexStringLower(keys.ClientToServer)} {Convert.ToHexStringLower(keys.ServerToClient)}";

    /// <summary>Reads a key log; every session id maps to the keys logged for it (several after an id collision).</summary>
    public static Dictionary<uint, List<SessionKeys>> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureException($"cannot read key log {path}: {e.Message}");
        }
        var sessions = new Dictionary<uint, List<SessionKeys>>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (!TryParse(line, out var keys))
                throw new CaptureException($"{path}:{i + 1}: not a key log line (expected '{Label} <8 hex> <64 hex> <64 hex>')");
            if (!sessions.TryGetValue(keys.SessionId, out var list))
                sessions[keys.SessionId] = list = [];
            list.Add(keys);
        }
        return sessions;
    }

    public static bool TryParse(string line, out SessionKeys keys)
    {
        keys = null!;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4 || parts[0] != Label || parts[1].Length != 8 || parts[2].Length != 64 || parts[3].Length != 64)
            return false;
        if (!uint.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id))
            return false;
        try
        {
            keys = new SessionKeys(id, Convert.FromHexString(parts[2]), Convert.FromHexString(parts[3]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
