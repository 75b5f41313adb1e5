using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary>
/// <c>struct epoll_event</c>: a 32-bit event mask and 64 bits of user data. The kernel's x86-64 ABI
/// packs it (12 bytes, data at offset 4); every other ABI aligns the data (16 bytes, data at offset 8).
/// Read and written through these helpers so one build is right on both.
/// </summary>
internal static class EpollEvent
{
    public static readonly int Size = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = Size == 12 ? 4 : 8;

    public static void Write(Span<byte> at, uint events, ulong data)
    {
        at[..Size].Clear();
        MemoryMarshal.Write(at, in events);
        MemoryMarshal.Write(at[DataOffset..], in data);
    }

    public static uint Events(ReadOnlySpan<byte> at) => MemoryMarshal.Read<uint>(at);

    public static ulong Data(ReadOnlySpan<byte> at) => MemoryMarshal.Read<ulong>(at[DataOffset..]);
}

internal static partial class LibC
{
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x1;
    public const uint EPOLLERR = 0x8;
    public const uint EPOLLHUP = 0x10;

    /// <summary><c>man 2 epoll_create1</c>: a new epoll descriptor, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    /// <summary><c>man 2 epoll_ctl</c>: 0, or -1 with errno set. <paramref name="ev"/> points at an <see cref="EpollEvent"/>.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static unsafe partial int EpollCtl(FileDescriptorHandle epoll, int op, int fd, byte* ev);

    /// <summary><c>man 2 epoll_wait</c>: the number of events written to <paramref name="events"/>, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    public static unsafe partial int EpollWait(FileDescriptorHandle epoll, byte* events, int maxEvents, int timeoutMilliseconds);
}
