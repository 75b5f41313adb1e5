using CsCheck;
using MyVpn.Server;
using Xunit;

namespace MyVpn.Tests.Unit.Models;

/// <summary>
/// The port pool against a naive model (a set of ports in use, a set retired, the lowest port of the range
/// in neither found by scanning) under random sequences of allocate, release and retire, compared after
/// every step; CsCheck shrinks a failure to the shortest sequence.
/// </summary>
public sealed class PortPoolModelTests
{
    private const ushort First = 40000;
    private const ushort Last = 40007;

    /// <summary>One step: allocate, release a port, or retire one (ports a little outside the range too).</summary>
    public sealed record Op(int Kind, ushort Port)
    {
        public override string ToString() => Kind switch { 0 => "TryAllocate()", 1 => $"Release({Port})", _ => $"Retire({Port})" };
    }

    private static readonly Gen<Op> GenOp =
        Gen.Select(Gen.Int[0, 2], Gen.Int[First - 1, Last + 1], (kind, port) => new Op(kind, (ushort)port));

    [Fact]
    public void Pool_matches_the_model_after_every_step()
    {
        Fuzz.Fuzz.Check(GenOp.Array[1, 60], ops =>
        {
            var pool = new PortPool(First, Last);
            var inUse = new HashSet<ushort>();
            var retired = new HashSet<ushort>();
            foreach (var op in ops)
            {
                switch (op.Kind)
                {
                    case 0:
                        var ok = pool.TryAllocate(out var port);
                        ushort? expected = null;
                        for (var p = First; p <= Last; p++)
                        {
                            if (!inUse.Contains(p) && !retired.Contains(p))
                            {
                                expected = p;
                                break;
                            }
                        }
                        Assert.Equal(expected is not null, ok);
                        if (expected is { } e)
                        {
                            Assert.Equal(e, port);
                            inUse.Add(e);
                        }
                        break;
                    case 1:
                        pool.Release(op.Port);
                        inUse.Remove(op.Port);
                        break;
                    default:
                        pool.Retire(op.Port);
                        if (inUse.Remove(op.Port))
                            retired.Add(op.Port);
                        break;
                }
                Assert.Equal(inUse.Count, pool.InUse);
            }
        });
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 9)]
    public void An_empty_range_or_port_zero_is_refused(int first, int last)
    {
        Assert.Throws<ArgumentException>(() => new PortPool((ushort)first, (ushort)last));
    }
}
