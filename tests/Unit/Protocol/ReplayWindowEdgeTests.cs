using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// <see cref="ReplayWindow.IsAhead"/> and <see cref="ReplayWindow.Highest"/> at their edges: only a counter above
/// every marked one is ahead (so only it may move a session's endpoint), and the highest marked counter is what
/// the window reports.
/// </summary>
public sealed class ReplayWindowEdgeTests
{
    [Fact]
    public void Any_counter_is_ahead_before_one_is_marked()
    {
        var window = new ReplayWindow();

        Assert.True(window.IsAhead(0));
        Assert.Equal(0UL, window.Highest);
    }

    [Fact]
    public void Only_a_counter_above_the_highest_marked_is_ahead()
    {
        var window = new ReplayWindow();
        Assert.True(window.Mark(0));
        Assert.False(window.IsAhead(0)); // marked: a duplicate of counter 0 is not ahead
        Assert.True(window.Mark(10));

        Assert.False(window.IsAhead(9));
        Assert.False(window.IsAhead(10));
        Assert.True(window.IsAhead(11));
        Assert.Equal(10UL, window.Highest);
        Assert.True(window.Mark(5)); // late, inside the window: the highest stays
        Assert.Equal(10UL, window.Highest);
    }
}
