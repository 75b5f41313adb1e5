using CsCheck;
using MyVpn.Net;
using MyVpn.Server;
using Xunit;

namespace MyVpn.Tests.Unit.Models;

/// <summary>
/// The address pool against a naive model (a set of held addresses, a set of reserved ones, and "the lowest
/// free dynamic host" found by scanning the subnet) under random sequences of allocate, allocate-static,
/// release and reserve; every result is compared after every step, and CsCheck shrinks a failure to the
/// shortest sequence that shows it.
/// </summary>
public sealed class AddressPoolModelTests
{
    private static readonly IPv4Subnet Subnet = IPv4Subnet.Parse("10.9.0.0/28");
    private static readonly IPv4Address Server = IPv4Address.Parse("10.9.0.1");

    /// <summary>One step: allocate (asking for an address), allocate a static address, release one, or reserve a new static set.</summary>
    public sealed record Op(int Kind, IPv4Address Address, IPv4Address[] Statics)
    {
        public override string ToString() => Kind switch
        {
            0 => $"TryAllocate({Address})",
            1 => $"TryAllocateStatic({Address})",
            2 => $"Release({Address})",
            _ => $"Reserve([{string.Join(", ", Statics)}])",
        };
    }

    // The network, every host, the broadcast, and two addresses just outside the subnet.
    private static readonly Gen<IPv4Address> GenAddress =
        Gen.UInt[0, 17].Select(n => new IPv4Address(Subnet.Network.Value - 1 + n));

    private static readonly Gen<Op> GenOp =
        Gen.Select(Gen.Int[0, 3], GenAddress, GenAddress.Array[0, 4], (kind, address, statics) => new Op(kind, address, statics));

    [Fact]
    public void Pool_matches_the_model_after_every_step()
    {
        Fuzz.Fuzz.Check(Gen.Select(GenAddress.Array[0, 3], GenOp.Array[1, 60]), (initialStatics, ops) =>
        {
            var pool = new AddressPool(Subnet, Server, initialStatics);
            var model = new Model(initialStatics);
            foreach (var op in ops)
            {
                switch (op.Kind)
                {
                    case 0:
                        var ok = pool.TryAllocate(op.Address, out var got);
                        var expected = model.Allocate(op.Address);
                        Assert.Equal(expected is not null, ok);
                        if (ok)
                            Assert.Equal(expected!.Value, got);
                        break;
                    case 1:
                        Assert.Equal(model.AllocateStatic(op.Address), pool.TryAllocateStatic(op.Address));
                        break;
                    case 2:
                        pool.Release(op.Address);
                        model.InUse.Remove(op.Address);
                        break;
                    default:
                        pool.Reserve(op.Statics);
                        model.Reserved = [Server, .. op.Statics];
                        break;
                }
                Assert.Equal(model.InUse.Count, pool.InUse);
            }
        });
    }

    /// <summary>The naive pool: the lowest free dynamic host is found by scanning every host of the subnet.</summary>
    private sealed class Model(IEnumerable<IPv4Address> statics)
    {
        public HashSet<IPv4Address> Reserved = [Server, .. statics];
        public readonly HashSet<IPv4Address> InUse = [];

        private static bool IsHost(IPv4Address a) => Subnet.Contains(a) && a != Subnet.Network && a != Subnet.Broadcast;

        public IPv4Address? Allocate(IPv4Address requested)
        {
            if (IsHost(requested) && !Reserved.Contains(requested) && InUse.Add(requested))
                return requested;
            for (var n = 1; n <= Subnet.HostCount; n++)
            {
                var a = Subnet.Host(n);
                if (!Reserved.Contains(a) && InUse.Add(a))
                    return a;
            }
            return null;
        }

        public bool AllocateStatic(IPv4Address a) => IsHost(a) && InUse.Add(a);
    }
}
