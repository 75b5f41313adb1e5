namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Runs <c>myvpn doctor</c> inside a namespace and hands back its exit status and lines.</summary>
internal static class DoctorRun
{
    public static Shell.Result In(string ns, params string[] arguments) =>
        MyVpnBinary.Published is { } binary
            ? Namespaces.Exec(ns, [binary, "doctor", .. arguments])
            : Namespaces.Exec(ns, [MyVpnBinary.Dotnet, MyVpnBinary.Dll, "doctor", .. arguments]);

    /// <summary>The report's lines that start with <paramref name="verdict"/> ("ok", "warn", "FAIL").</summary>
    public static IReadOnlyList<string> Lines(Shell.Result result, string verdict) =>
        result.Output.Split('\n').Where(line => line.StartsWith(verdict + " ", StringComparison.Ordinal)).ToList();
}
