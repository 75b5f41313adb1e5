namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// The daemon under test: the published executable named by MYVPN_BINARY (run-netns-tests.sh publishes
/// the NativeAOT build people install and sets it), else myvpn.dll beside the test assembly (the project
/// reference copies it), run with this dotnet.
/// </summary>
internal static class MyVpnBinary
{
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "myvpn.dll");

    /// <summary>The published executable, when the suite runs against one.</summary>
    public static string? Published => Environment.GetEnvironmentVariable("MYVPN_BINARY") is { Length: > 0 } path ? path : null;

    /// <summary>Runs a short myvpn command (genkey, a config error…) in the test's own namespace.</summary>
    public static Shell.Result Run(params string[] arguments) =>
        Published is { } binary ? Shell.Run(binary, arguments) : Shell.Run(Dotnet, [Dll, .. arguments]);

    /// <summary>Starts a myvpn daemon inside a namespace.</summary>
    public static RunningProcess Start(string label, string ns, params string[] arguments) =>
        Start(label, ns, new Dictionary<string, string>(), arguments);

    /// <summary>Starts a myvpn daemon inside a namespace with <paramref name="environment"/> added to its environment.</summary>
    public static RunningProcess Start(string label, string ns, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Published is { } binary
            ? RunningProcess.Start(label, ns, environment, binary, arguments)
            : RunningProcess.Start(label, ns, environment, Dotnet, [Dll, .. arguments]);
}
