using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

public sealed class ReplayWindowTests
{
    private const ulong Size = ReplayWindow.Size;

    private static ReplayWindow MarkedUpTo(ulong highest)
    {
        var window = new ReplayWindow();
        Assert.True(window.Mark(highest));
        return window;
    }

    [Fact]
    public void Window_size_is_63_blocks_of_64_counters()
    {
        Assert.Equal(4032UL, Size);
    }

    [Fact]
    public void Counter_zero_is_accepted_first()
    {
        var window = new ReplayWindow();
        Assert.True(window.CanAccept(0));
        Assert.True(window.Mark(0));
    }

    [Fact]
    public void Duplicate_counter_is_refused()
    {
        var window = MarkedUpTo(0);
        Assert.False(window.CanAccept(0));
        Assert.False(window.Mark(0));
    }

    [Fact]
    public void Duplicate_of_an_older_counter_inside_the_window_is_refused()
    {
        var window = MarkedUpTo(1000);
        Assert.True(window.Mark(990));
        Assert.False(window.CanAccept(990));
        Assert.False(window.Mark(990));
    }

    [Fact]
    public void Counter_exactly_size_minus_one_behind_the_highest_is_accepted()
    {
        var window = MarkedUpTo(10_000);
        Assert.True(window.CanAccept(10_000 - (Size - 1)));
        Assert.True(window.Mark(10_000 - (Size - 1)));
    }

    [Fact]
    public void Counter_exactly_size_behind_the_highest_is_refused()
    {
        var window = MarkedUpTo(10_000);
        Assert.False(window.CanAccept(10_000 - Size));
        Assert.False(window.Mark(10_000 - Size));
    }

    [Fact]
    public void Counters_arriving_out_of_order_within_the_window_are_each_accepted_once()
    {
        var window = new ReplayWindow();
        ulong[] order = [5, 1, 3, 0, 4, 2, 64, 63, 65, 6];
        foreach (var counter in order)
            Assert.True(window.Mark(counter), $"counter {counter}");
        foreach (var counter in order)
            Assert.False(window.CanAccept(counter), $"counter {counter} again");
        Assert.True(window.CanAccept(7));
    }

    [Fact]
    public void Skipped_counters_behind_a_jump_stay_acceptable()
    {
        var window = MarkedUpTo(0);
        Assert.True(window.Mark(100));
        for (ulong c = 1; c < 100; c++)
            Assert.True(window.CanAccept(c), $"counter {c}");
    }

    [Fact]
    public void Jump_beyond_the_whole_bitmap_clears_every_old_bit()
    {
        var window = new ReplayWindow();
        for (ulong c = 0; c < 4096; c++)
            Assert.True(window.Mark(c));
        const ulong far = 4096 * 3 + 17;
        Assert.True(window.Mark(far));
        for (var c = far - (Size - 1); c < far; c++)
            Assert.True(window.CanAccept(c), $"counter {c}");
    }

    [Fact]
    public void Jump_of_one_block_clears_the_block_it_reuses()
    {
        var window = new ReplayWindow();
        for (ulong c = 0; c < 64; c++)
            Assert.True(window.Mark(c));
        // Counter 4096 lands in the ring slot of block 0 (counters 0..63), which must be wiped.
        Assert.True(window.Mark(4096));
        for (ulong c = 4096 - (Size - 1); c < 4096; c++)
            Assert.True(window.CanAccept(c), $"counter {c}");
        Assert.False(window.CanAccept(63));
    }

    [Fact]
    public void Highest_usable_counter_is_accepted_and_the_limit_is_refused()
    {
        var window = new ReplayWindow();
        Assert.False(window.CanAccept(WireFormat.MaxCounter));
        Assert.False(window.CanAccept(ulong.MaxValue));
        Assert.True(window.Mark(WireFormat.MaxCounter - 1));
        Assert.False(window.Mark(WireFormat.MaxCounter - 1));
    }

    [Fact]
    public void CanAccept_alone_does_not_mark()
    {
        var window = new ReplayWindow();
        Assert.True(window.CanAccept(42));
        Assert.True(window.CanAccept(42));
        Assert.True(window.Mark(42));
    }

    [Fact]
    public void Agrees_with_a_naive_reference_over_random_operation_sequences()
    {
        for (var seed = 1; seed <= 300; seed++)
            CompareWithReference(seed, steps: 2000);
    }

    /// <summary>
    /// Random operations that cluster where the window's edges are (near the highest counter,
    /// around Size behind it, block boundaries), with jumps, and probes at the counter limit.
    /// A failure names the seed and step; rerun <c>CompareWithReference(seed, …)</c> to replay it.
    /// </summary>
    private static void CompareWithReference(int seed, int steps)
    {
        var random = new Random(seed);
        var real = new ReplayWindow();
        var model = new NaiveReplayWindow();
        for (var step = 0; step < steps; step++)
        {
            if (step % 100 == 99)
            {
                foreach (var limit in new[] { WireFormat.MaxCounter - 1, WireFormat.MaxCounter, ulong.MaxValue })
                    Assert.True(model.CanAccept(limit) == real.CanAccept(limit), $"seed {seed} step {step}: CanAccept({limit})");
            }
            var counter = Draw(random, model.Highest);
            var canAccept = model.CanAccept(counter);
            Assert.True(canAccept == real.CanAccept(counter), $"seed {seed} step {step}: CanAccept({counter}) should be {canAccept}");
            if (random.Next(4) == 0)
                continue; // the packet failed authentication: checked, never marked
            var marked = model.Mark(counter);
            Assert.True(marked == real.Mark(counter), $"seed {seed} step {step}: Mark({counter}) should be {marked}");
        }
    }

    private static ulong Draw(Random random, ulong highest)
    {
        long offset = random.Next(100) switch
        {
            < 45 => random.Next(-64, 8),
            < 65 => random.Next(-(int)Size - 70, -(int)Size + 70),
            < 80 => random.Next(-(int)Size, (int)Size),
            < 92 => random.Next(1, 3 * 4096),
            < 98 => random.NextInt64(-1_000_000, 1_000_000),
            _ => 0,
        };
        return offset < 0 && (ulong)(-offset) > highest ? (ulong)random.Next(64) : highest + (ulong)offset;
    }
}
