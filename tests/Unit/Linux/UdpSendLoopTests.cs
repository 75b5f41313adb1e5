using MyVpn.Io;
using MyVpn.Linux;
using MyVpn.Linux.Interop;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>
/// What <see cref="LinuxUdpTransport"/> makes of each kernel answer to sendmmsg: the errno's drop reason, a partial
/// count, a run refused for GSO. The system call is a script here (<see cref="ScriptedSender"/>).
/// </summary>
public sealed class UdpSendLoopTests
{
    [Theory]
    [InlineData(Errno.EAGAIN, DropReason.SendBufferFull)]
    [InlineData(Errno.ENOBUFS, DropReason.SendNoBuffers)]
    [InlineData(Errno.ENOMEM, DropReason.SendNoBuffers)]
    [InlineData(Errno.EMSGSIZE, DropReason.SendTooBig)]
    [InlineData(Errno.ECONNREFUSED, DropReason.SendRefused)]
    [InlineData(Errno.EPERM, DropReason.SendRefused)]
    [InlineData(Errno.EACCES, DropReason.SendRefused)]
    [InlineData(Errno.EHOSTUNREACH, DropReason.SendUnreachable)]
    [InlineData(Errno.ENETUNREACH, DropReason.SendUnreachable)]
    [InlineData(Errno.EINVAL, DropReason.SendFailed)]
    public void Each_errno_is_its_drop_reason(int errno, DropReason reason)
    {
        Assert.Equal(reason, UdpSendErrors.ReasonFor(errno));
    }

    [Theory]
    [InlineData(Errno.EAGAIN)]
    [InlineData(Errno.ENOBUFS)]
    public void A_full_buffer_drops_the_whole_rest_of_the_batch_in_one_call(int errno)
    {
        var sender = new ScriptedSender(-errno);

        var result = Run(ref sender, 5);

        Assert.Equal(5, result[UdpSendErrors.ReasonFor(errno)]);
        Assert.Equal(0, result.Sent);
        Assert.Equal(1, sender.Calls);
    }

    [Theory]
    [InlineData(Errno.EMSGSIZE)]
    [InlineData(Errno.ECONNREFUSED)]
    [InlineData(Errno.EPERM)]
    [InlineData(Errno.EHOSTUNREACH)]
    public void An_error_of_one_datagram_drops_only_that_one_and_the_rest_go(int errno)
    {
        var sender = new ScriptedSender(1, -errno, 3);

        var result = Run(ref sender, 5);

        Assert.Equal((4, 1, 1), (result.Sent, result.Dropped, result[UdpSendErrors.ReasonFor(errno)]));
        Assert.Equal([(0, 5), (1, 4), (2, 3)], sender.Asked);
    }

    [Fact]
    public void A_partial_count_sends_the_rest_again_at_once()
    {
        var sender = new ScriptedSender(3, 2);

        var result = Run(ref sender, 5);

        Assert.Equal(SendResult.AllSent(5), result);
        Assert.Equal([(0, 5), (3, 2)], sender.Asked);
    }

    [Fact]
    public void A_partial_count_whose_retry_finds_the_buffer_full_drops_the_rest()
    {
        var sender = new ScriptedSender(3, -Errno.EAGAIN);

        var result = Run(ref sender, 8);

        Assert.Equal(new SendResult { Sent = 3, BufferFull = 5 }, result);
        Assert.Equal(2, sender.Calls);
    }

    [Fact]
    public void An_interrupted_call_is_made_again()
    {
        var sender = new ScriptedSender(-Errno.EINTR, 4);

        var result = Run(ref sender, 4);

        Assert.Equal(SendResult.AllSent(4), result);
        Assert.Equal([(0, 4), (0, 4)], sender.Asked);
    }

    [Fact]
    public void Datagrams_are_counted_by_message_weight_for_gso_runs()
    {
        var sender = new ScriptedSender(1, -Errno.EAGAIN) { Runs = [4, 3, 2] };

        var result = Run(ref sender, 3);

        Assert.Equal(new SendResult { Sent = 4, BufferFull = 5 }, result);
    }

    [Fact]
    public void A_run_the_sender_sends_otherwise_is_not_dropped()
    {
        var sender = new ScriptedSender(-Errno.EMSGSIZE, 1) { Runs = [4, 1], SendsOtherwise = true };

        var result = Run(ref sender, 2);

        Assert.Equal(SendResult.AllSent(5), result);
    }

    private static SendResult Run(ref ScriptedSender sender, int messages)
    {
        var result = new SendResult();
        UdpSendLoop.Run(ref sender, messages, ref result);
        return result;
    }

    /// <summary>Answers each call with the next scripted value: a count sent, or minus an errno.</summary>
    private struct ScriptedSender(params int[] answers) : IMessageSender
    {
        public List<(int First, int Count)> Asked { get; } = [];
        public int[]? Runs { get; init; }
        public bool SendsOtherwise { get; init; }
        public readonly int Calls => Asked.Count;

        public int Send(int first, int count, out int errno)
        {
            var answer = answers[Asked.Count];
            Asked.Add((first, count));
            errno = answer < 0 ? -answer : 0;
            return answer < 0 ? -1 : Math.Min(answer, count);
        }

        public readonly int Datagrams(int message) => Runs?[message] ?? 1;

        public readonly bool SendOtherwise(int message, int errno, ref SendResult result)
        {
            if (!SendsOtherwise)
                return false;
            result.Sent += Datagrams(message);
            return true;
        }
    }
}
