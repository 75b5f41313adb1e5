namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>The built daemon: myvpn.dll beside the test assembly (the project reference copies it), run with this dotnet.</summary>
internal static class MyVpnBinary
{
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "myvpn.dll");

    /// <summary>Runs a short myvpn command (genkey, a config error…) in the test's own namespace.</summary>
    public static Shell.Result Run(params string[] arguments) => Shell.Run(Dotnet, [Dll, .. arguments]);

    /// <summary>Starts a myvpn daemon inside a namespace.</summary>
    public static RunningProcess Start(string label, string ns, params string[] arguments) =>
        RunningProcess.Start(label, ns, Dotnet, [Dll, .. arguments]);
}
