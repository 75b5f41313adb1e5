using MyVpn.Linux;
using MyVpn.Linux.Interop;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>The tun device's syscall boundary: what each errno of read(2) and write(2) means, and which drop a failed write counts.</summary>
public sealed class TunErrorsTests
{
    [Theory]
    [InlineData(Errno.EINTR, nameof(TunError.Interrupted))]
    [InlineData(Errno.EAGAIN, nameof(TunError.Empty))]
    [InlineData(Errno.ENOBUFS, nameof(TunError.QueueFull))]
    [InlineData(Errno.ENOMEM, nameof(TunError.QueueFull))]
    [InlineData(Errno.EINVAL, nameof(TunError.Rejected))]
    [InlineData(Errno.EMSGSIZE, nameof(TunError.Rejected))]
    [InlineData(Errno.EFAULT, nameof(TunError.Rejected))]
    [InlineData(Errno.EIO, nameof(TunError.Down))]
    [InlineData(Errno.ENETDOWN, nameof(TunError.Down))]
    [InlineData(Errno.EBADFD, nameof(TunError.Gone))]
    [InlineData(Errno.EBADF, nameof(TunError.Gone))]
    [InlineData(Errno.ENODEV, nameof(TunError.Gone))]
    [InlineData(Errno.ENXIO, nameof(TunError.Gone))]
    [InlineData(Errno.EPERM, nameof(TunError.Gone))] // unexpected: it would fail again at once, so the device stops rather than spins
    public void A_read_error_means(int errno, string expected)
    {
        Assert.Equal(Enum.Parse<TunError>(expected), TunErrors.OfRead(errno));
    }

    [Theory]
    [InlineData(Errno.EINTR, nameof(TunError.Interrupted))]
    [InlineData(Errno.EAGAIN, nameof(TunError.QueueFull))]
    [InlineData(Errno.ENOBUFS, nameof(TunError.QueueFull))]
    [InlineData(Errno.ENOMEM, nameof(TunError.QueueFull))]
    [InlineData(Errno.EINVAL, nameof(TunError.Rejected))]
    [InlineData(Errno.EMSGSIZE, nameof(TunError.Rejected))]
    [InlineData(Errno.EFAULT, nameof(TunError.Rejected))]
    [InlineData(Errno.EPERM, nameof(TunError.Rejected))] // unexpected: this packet is lost, the next one is tried
    [InlineData(0, nameof(TunError.Rejected))] // a short write
    [InlineData(Errno.EIO, nameof(TunError.Down))]
    [InlineData(Errno.ENETDOWN, nameof(TunError.Down))]
    [InlineData(Errno.EBADFD, nameof(TunError.Gone))]
    [InlineData(Errno.EBADF, nameof(TunError.Gone))]
    [InlineData(Errno.ENODEV, nameof(TunError.Gone))]
    [InlineData(Errno.ENXIO, nameof(TunError.Gone))]
    public void A_write_error_means(int errno, string expected)
    {
        Assert.Equal(Enum.Parse<TunError>(expected), TunErrors.OfWrite(errno));
    }

    [Theory]
    [InlineData(nameof(TunError.QueueFull), DropReason.TunQueueFull)]
    [InlineData(nameof(TunError.Down), DropReason.TunUnavailable)]
    [InlineData(nameof(TunError.Gone), DropReason.TunUnavailable)]
    [InlineData(nameof(TunError.Rejected), DropReason.TunRejected)]
    public void A_refused_write_is_counted_as(string error, DropReason expected)
    {
        Assert.Equal(expected, TunErrors.DropFor(Enum.Parse<TunError>(error)));
    }

    [Fact]
    public void The_errors_have_their_names_in_messages()
    {
        Assert.Equal("EBADFD", Errno.Name(Errno.EBADFD));
        Assert.Equal("ENOBUFS", Errno.Name(Errno.ENOBUFS));
        Assert.Equal("ENETDOWN", Errno.Name(Errno.ENETDOWN));
    }
}
