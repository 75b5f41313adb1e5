using CsCheck;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Models;

/// <summary>
/// The session table against a dictionary under random sequences of add-or-replace (<c>With</c>), remove
/// (<c>Without</c>, which removes only the very session named) and lookups, compared after every step. Every
/// table published earlier is checked again after every step: a table never changes once published.
/// </summary>
public sealed class SessionTableModelTests
{
    private const int Addresses = 3;
    private const int SessionsPerAddress = 2;

    /// <summary>One step: publish a table with or without session <see cref="Session"/>.</summary>
    public sealed record Op(bool Add, int Session)
    {
        public override string ToString() => $"{(Add ? "With" : "Without")}(s{Session})";
    }

    private static readonly Gen<Op> GenOp =
        Gen.Select(Gen.Bool, Gen.Int[0, Addresses * SessionsPerAddress - 1], (add, session) => new Op(add, session));

    [Fact]
    public void Table_matches_the_model_after_every_step_and_published_tables_never_change()
    {
        var sessions = Enumerable.Range(0, Addresses * SessionsPerAddress).Select(MakeSession).ToArray();
        try
        {
            Fuzz.Fuzz.Check(GenOp.Array[1, 40], ops =>
            {
                var published = new List<(SessionTable Table, Dictionary<uint, ServerSession> Model)>
                {
                    (SessionTable.Empty, []),
                };
                foreach (var op in ops)
                {
                    var (table, model) = published[^1];
                    var session = sessions[op.Session];
                    var next = new Dictionary<uint, ServerSession>(model);
                    if (op.Add)
                    {
                        table = table.With(session);
                        next[session.Address.Value] = session;
                    }
                    else
                    {
                        table = table.Without(session);
                        if (next.TryGetValue(session.Address.Value, out var current) && current == session)
                            next.Remove(session.Address.Value);
                    }
                    published.Add((table, next));
                    foreach (var (t, m) in published)
                        AssertSame(m, t);
                }
            });
        }
        finally
        {
            foreach (var session in sessions)
                session.Dispose();
        }
    }

    private static void AssertSame(Dictionary<uint, ServerSession> model, SessionTable table)
    {
        // Every address the sessions can have, plus one no session has.
        for (var i = 0; i <= Addresses; i++)
        {
            var address = AddressOf(i).Value;
            var found = table.TryGet(address, out var session);
            Assert.Equal(model.TryGetValue(address, out var expected), found);
            if (found)
                Assert.Same(expected, session);
        }
    }

    private static IPv4Address AddressOf(int index) => new(IPv4Address.Parse("10.0.0.2").Value + (uint)index);

    private static ServerSession MakeSession(int i)
    {
        var grant = new SessionGrant((uint)(i + 1), AddressOf(i % Addresses), 24, IPv4Address.Parse("10.0.0.1"),
            40000, 1400, TimeSpan.FromSeconds(10));
        return new ServerSession($"s{i}", grant, new Session((uint)(i + 1), new byte[32], new byte[32]), 0);
    }
}
