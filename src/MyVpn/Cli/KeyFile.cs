using System.Security.Cryptography;

namespace MyVpn.Cli;

/// <summary>
/// Pre-shared keys: 256 bits, base64 on one line. A key file that its group or others may access is
/// refused, as ssh refuses such private keys; new key files are created with mode 0600.
/// </summary>
internal static class KeyFile
{
    public const int KeyBytes = 32;


    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    public static string Encode(byte[] key) => Convert.ToBase64String(key);

    /// <summary>Reads a key file, refusing one that is not private to its owner.</summary>
    public static byte[] Read(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException($"key file {path}: no such file");
        if (!FileModes.IsPrivate(path))
            throw new ConfigException(
                $"key file {path} is accessible by group or others (mode {FileModes.Octal(path)}); run: chmod 600 {path}");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"key file {path}: {e.Message}", e);
        }
        return Decode(text, $"key file {path}");
    }

    /// <summary>Decodes a base64 256-bit key; <paramref name="where"/> names its source in the error.</summary>
    public static byte[] Decode(string text, string where)
    {
        var key = new byte[KeyBytes];
        if (!Convert.TryFromBase64String(text.Trim(), key, out var written) || written != KeyBytes)
            throw new ConfigException($"{where} does not hold a base64 256-bit key (make one with: myvpn genkey)");
        return key;
    }

    /// <summary>Writes a new key file with mode 0600; an existing file is never overwritten.</summary>
    public static void Write(string path, byte[] key)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileModes.Private };
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(Encode(key));
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new ConfigException($"{path} already exists; not overwriting it", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot write {path}: {e.Message}", e);
        }
        // The umask may have narrowed the mode further, never widened it; set it exactly.
        File.SetUnixFileMode(path, FileModes.Private);
    }

}
