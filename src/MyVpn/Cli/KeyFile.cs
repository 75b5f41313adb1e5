using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using MyVpn.Linux;

namespace MyVpn.Cli;

/// <summary>
/// Pre-shared keys: 256 bits, base64 on one line. A key file that its group or others may access, that
/// someone other than root or the caller owns, or that is a symbolic link is refused, as ssh refuses such
/// private keys; new key files are created with mode 0600.
/// </summary>
internal static class KeyFile
{
    public const int KeyBytes = 32;


    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    public static string Encode(byte[] key) => Convert.ToBase64String(key);

    /// <summary>The most a key file may hold: one base64 line with room for whitespace and comments' worth of slack.</summary>
    private const int MaxFileBytes = 4096;

    /// <summary>
    /// Reads a key file, refusing a symbolic link and a file that is not private to root or the caller
    /// (checked on the open descriptor, so the file read is the file checked). The bytes read are
    /// wiped once the key is decoded.
    /// </summary>
    public static byte[] Read(string path)
    {
        var buffer = new byte[MaxFileBytes + 1];
        try
        {
            int length;
            try
            {
                using var handle = PrivateFile.OpenRead(path);
                length = ReadAll(handle, buffer);
            }
            catch (PrivateFileException e)
            {
                throw new ConfigException($"key file {e.Message}", e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"key file {path}: {e.Message}", e);
            }
            if (length > MaxFileBytes)
                throw new ConfigException($"key file {path} is larger than {MaxFileBytes} bytes: it does not hold a base64 256-bit key (make one with: myvpn genkey)");
            return DecodeUtf8(buffer.AsSpan(0, length), $"key file {path}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static int ReadAll(SafeFileHandle handle, byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (read == 0)
                break;
            total += read;
        }
        return total;
    }

    /// <summary>Decodes a key file's bytes (base64, surrounding whitespace allowed) without making a string of them.</summary>
    private static byte[] DecodeUtf8(ReadOnlySpan<byte> utf8, string where)
    {
        var text = utf8.Trim(" \t\r\n"u8);
        var key = new byte[KeyBytes];
        if (Base64.DecodeFromUtf8(text, key, out var consumed, out var written) != OperationStatus.Done
            || consumed != text.Length || written != KeyBytes)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new ConfigException($"{where} does not hold a base64 256-bit key (make one with: myvpn genkey)");
        }
        return key;
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
