using MyVpn.Io;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>
/// <see cref="ScratchPool"/> and <see cref="DataPathScratch"/>: a returned set is rented again (nothing new per
/// wake-up), a new one only when none is free, each with the batch size and buffer size asked for.
/// </summary>
public sealed class ScratchPoolTests
{
    [Fact]
    public void A_returned_scratch_is_rented_again_and_a_new_one_is_made_only_when_none_is_free()
    {
        var pool = new ScratchPool(4, 1500);
        var first = pool.Rent();
        var second = pool.Rent();
        pool.Return(first);

        var again = pool.Rent();
        var fresh = pool.Rent();

        Assert.NotSame(first, second);
        Assert.Same(first, again);
        Assert.NotSame(first, fresh);
        Assert.NotSame(second, fresh);
    }

    [Fact]
    public void A_new_scratch_has_the_batch_and_buffer_sizes_asked_for_and_counts_every_buffer_as_used()
    {
        var scratch = new ScratchPool(3, 1500).Rent();

        Assert.Equal(3, scratch.Batch.Length);
        Assert.Equal(3, scratch.ToTun.Length);
        Assert.Equal(1500, scratch.Capacity);
        Assert.All(scratch.Batch, buffer => Assert.Equal(1500, buffer.Data.Length));
        Assert.Equal(3, scratch.Batch.Distinct().Count());
        Assert.Equal(3, scratch.Used);
    }
}
