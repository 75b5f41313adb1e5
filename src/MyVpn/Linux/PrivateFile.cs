using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using MyVpn.Linux.Interop;

namespace MyVpn.Linux;

/// <summary>
/// Files that hold secrets (key files, the key log). Each is opened without following a symbolic
/// link (<c>O_NOFOLLOW</c>) and then checked on the open descriptor (<c>statx</c> with an empty path):
/// a regular file, owned by root or by the user running myvpn, no permission bits for group or
/// others. The check and the read are of the same file, so nothing can swap it in between.
/// A refusal is a <see cref="PrivateFileException"/> whose message is one line ending with the fix.
/// </summary>
internal static class PrivateFile
{
    private const uint RegularFileType = 0x8000; // S_IFREG
    private const uint FileTypeMask = 0xF000;    // S_IFMT

    /// <summary>Opens an existing private file for reading.</summary>
    public static SafeFileHandle OpenRead(string path)
    {
        // O_NONBLOCK: a FIFO put in the file's place must not hang the open; it is then refused as not regular.
        var fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        return Checked(fd, path, "open");
    }

    /// <summary>
    /// Opens a private file for appending, creating it with mode 0600 if it does not exist
    /// (an existing one must pass the same checks).
    /// </summary>
    public static SafeFileHandle OpenAppend(string path)
    {
        var fd = LibC.Open(path, LibC.O_WRONLY | LibC.O_APPEND | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NONBLOCK,
            0x180 /* 0600 */);
        return Checked(fd, path, "open");
    }

    /// <summary>The facts of an open descriptor, read from the descriptor itself.</summary>
    public static unsafe FileFacts Stat(SafeFileHandle handle)
    {
        var buffer = stackalloc byte[LibC.StatxSize];
        new Span<byte>(buffer, LibC.StatxSize).Clear();
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (LibC.Statx((int)handle.DangerousGetHandle(), "", LibC.AT_EMPTY_PATH,
                    LibC.STATX_TYPE | LibC.STATX_MODE | LibC.STATX_UID, buffer) != 0)
                throw ErrnoException.FromLastError("statx");
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
        var bytes = new ReadOnlySpan<byte>(buffer, LibC.StatxSize);
        var mask = BinaryPrimitives.ReadUInt32LittleEndian(bytes[LibC.StatxMaskOffset..]);
        const uint needed = LibC.STATX_TYPE | LibC.STATX_MODE | LibC.STATX_UID;
        if ((mask & needed) != needed)
            throw new IOException("statx did not report the file's type, mode and owner");
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(bytes[LibC.StatxModeOffset..]);
        var owner = BinaryPrimitives.ReadUInt32LittleEndian(bytes[LibC.StatxUidOffset..]);
        return new FileFacts((mode & FileTypeMask) == RegularFileType, (UnixFileMode)(mode & 0xFFF), owner);
    }

    /// <summary>Why a file with these facts may not hold a secret (null: it may).</summary>
    public static string? Refusal(FileFacts facts, string path, uint caller)
    {
        if (!facts.IsRegular)
            return $"{path} is not a regular file";
        if (facts.Owner != 0 && facts.Owner != caller)
            return $"{path} is owned by uid {facts.Owner}, neither root nor the user running myvpn (uid {caller}); run: chown {caller} {path}";
        if (facts.GroupOrOthersMayAccess)
            return $"{path} is accessible by group or others (mode {facts.Octal}); run: chmod 600 {path}";
        return null;
    }

    /// <summary>The user myvpn runs as (the effective uid).</summary>
    public static uint Caller => LibC.GetEffectiveUserId();

    private static SafeFileHandle Checked(int fd, string path, string call)
    {
        if (fd < 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new PrivateFileException(errno switch
            {
                Errno.ENOENT => $"{path}: no such file",
                Errno.ELOOP => $"{path} is a symbolic link, which is not followed for a secret; give the real file's path",
                Errno.EACCES => $"{path}: permission denied",
                Errno.EISDIR => $"{path} is not a regular file",
                _ => new ErrnoException($"{call} {path}", errno).Message,
            });
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (Refusal(Stat(handle), path, Caller) is { } refusal)
                throw new PrivateFileException(refusal);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
