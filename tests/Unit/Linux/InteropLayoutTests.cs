using System.Runtime.CompilerServices;
using MyVpn.Linux.Interop;
using MyVpn.Linux.Offload;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>The structs handed to the kernel have the sizes of their C definitions on 64-bit Linux.</summary>
public sealed class InteropLayoutTests
{
    [Fact]
    public void Recvmmsg_and_sendmmsg_structs_match_the_64_bit_C_layout()
    {
        Assert.Equal(16, Unsafe.SizeOf<IoVec>());
        Assert.Equal(56, Unsafe.SizeOf<MsgHdr>());
        Assert.Equal(64, Unsafe.SizeOf<MMsgHdr>());
        Assert.Equal(28, Unsafe.SizeOf<SockAddrInet>());
    }

    [Fact]
    public void Offload_structs_match_their_C_layout()
    {
        Assert.Equal(10, Unsafe.SizeOf<VirtioNetHeader>());
        Assert.Equal(16, Unsafe.SizeOf<CMsgHdr>());
        Assert.Equal(24, CMsgHdr.SpaceFor(sizeof(ushort)));
        Assert.Equal(18, CMsgHdr.LengthFor(sizeof(ushort)));
    }
}
