using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// An unknown name costs the server what a wrong key costs: the same key lookup, the same proof
/// computation (with a dummy key) and the same constant-time comparison, then the same Reject.
/// </summary>
public sealed class UnknownClientCostTests
{
    private static readonly byte[] Dummy = Handshakes.Key(0x5a);

    private sealed class CountingLookup(IReadOnlyDictionary<string, byte[]> keys)
    {
        public List<string> Asked { get; } = [];

        public byte[]? KeyFor(string name)
        {
            Asked.Add(name);
            return keys.TryGetValue(name, out var key) ? key : null;
        }
    }

    private static (HandshakeStep Client, HandshakeStep Server, ServerHandshake Handshake, CountingLookup Lookup) Run(string name, byte[] key)
    {
        var lookup = new CountingLookup(Handshakes.Keys());
        var server = new ServerHandshake(lookup.KeyFor, new TestRandom(100), Dummy);
        using var client = new ClientHandshake(name, key, default, new TestRandom(1));
        var (clientStep, serverStep) = Handshakes.Run(client, server);
        return (clientStep, serverStep, server, lookup);
    }

    [Fact]
    public void Unknown_name_and_wrong_key_take_the_same_steps_and_get_the_same_reject()
    {
        var unknown = Run("mallory", Handshakes.Key(1));
        var wrong = Run("pc1", Handshakes.Key(9));

        Assert.Equal(HandshakeError.UnknownClient, unknown.Server.Error);
        Assert.Equal(HandshakeError.WrongKey, wrong.Server.Error);
        Assert.Equal(["mallory"], unknown.Lookup.Asked);
        Assert.Equal(["pc1"], wrong.Lookup.Asked);
        Assert.Equal(1, unknown.Handshake.ProofsChecked);
        Assert.Equal(1, wrong.Handshake.ProofsChecked);
        Assert.False(unknown.Handshake.LastProofMatched);
        Assert.False(wrong.Handshake.LastProofMatched);
        // On the wire the two are one answer.
        Assert.Equal(ServerHandshake.RejectFrame(ServerHandshake.RejectCodeFor(unknown.Server.Error)),
            ServerHandshake.RejectFrame(ServerHandshake.RejectCodeFor(wrong.Server.Error)));
        Assert.Equal(unknown.Client.Error, wrong.Client.Error);
    }

    [Fact]
    public void Unknown_name_is_checked_against_the_dummy_key_and_refused_even_when_the_proof_matches_it()
    {
        var (clientStep, serverStep, handshake, _) = Run("mallory", Dummy);

        Assert.True(handshake.LastProofMatched); // the proof was computed with the dummy key
        Assert.Equal(HandshakeError.UnknownClient, serverStep.Error);
        Assert.Null(handshake.ClientName);
        Assert.Equal(HandshakeError.AuthenticationRejected, clientStep.Error);
    }

    [Fact]
    public void Default_dummy_key_refuses_an_unknown_name_after_one_proof_check()
    {
        // Handshakes made as the daemon makes them (the process's random dummy key): an unknown name
        // is refused after one proof check, and a proof under the all-zero key does not match the dummy.
        foreach (var seed in new[] { 1, 2 })
        {
            var server = new ServerHandshake(_ => null, new TestRandom(100 + seed));
            using var client = new ClientHandshake("nobody", new byte[32], default, new TestRandom(seed));
            var (_, serverStep) = Handshakes.Run(client, server);
            Assert.Equal(HandshakeError.UnknownClient, serverStep.Error);
            Assert.Equal(1, server.ProofsChecked);
            Assert.False(server.LastProofMatched);
        }
    }
}
