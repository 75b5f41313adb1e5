using MyVpn.Crypto;
using Xunit;

namespace MyVpn.Tests.Unit.Crypto;

/// <summary>The crypto providers by name, for theories that run once per implementation (the name shows in the test's display name).</summary>
public static class Providers
{
    private static readonly string[] All = [CryptoProviders.OpenSsl.Name, CryptoProviders.DotNet.Name];

    public static TheoryData<string> Names => new(All);

    public static ICryptoProvider Get(string name) =>
        name == CryptoProviders.OpenSsl.Name ? CryptoProviders.OpenSsl
        : name == CryptoProviders.DotNet.Name ? CryptoProviders.DotNet
        : throw new ArgumentException($"no crypto provider named {name}", nameof(name));

    /// <summary>Every provider name with every one of <paramref name="values"/>.</summary>
    public static TheoryData<string, T> With<T>(params T[] values)
    {
        var data = new TheoryData<string, T>();
        foreach (var name in All)
            foreach (var value in values)
                data.Add(name, value);
        return data;
    }
}
