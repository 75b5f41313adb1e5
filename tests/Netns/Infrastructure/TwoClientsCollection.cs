using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>The test collection that shares one <see cref="TwoClientsFixture"/> (a server and two connected clients) among its classes.</summary>
[CollectionDefinition(Name)]
public sealed class TwoClientsCollection : ICollectionFixture<TwoClientsFixture>
{
    public const string Name = "two clients";
}
