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
