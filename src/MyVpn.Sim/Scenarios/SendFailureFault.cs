namespace MyVpn.Sim.Scenarios;

/// <summary>
/// <see cref="FaultKind.SendFailure"/>: for the fault's duration one host's UDP sends fail as a kernel fails them.
/// The variant picks the form (variant % 4: <see cref="SendFaultMode"/>), the host ((variant / 4) % 2: the
/// server, or the fault's client) and, for EMSGSIZE, the size limit (64 bytes and up in steps of 12: from below a
/// keepalive's length to above a full-sized datagram's).
/// </summary>
internal static class SendFailureFault
{
    public static void Strike(SeedNetwork seedNetwork, SeedClient client, ScheduledFault fault)
    {
        var host = HostOf(seedNetwork, client, fault.Variant);
        var random = seedNetwork.Network.Random.Fork($"send-fault:{host.Name}@{seedNetwork.Network.Now}");
        seedNetwork.FailSends(host, new SimSendFault(ModeOf(fault.Variant), SizeLimitOf(fault.Variant), random), fault.Duration);
    }

    public static SendFaultMode ModeOf(int variant) => (SendFaultMode)(variant % 4);

    public static SimHost HostOf(SeedNetwork seedNetwork, SeedClient client, int variant) =>
        variant / 4 % 2 == 0 ? seedNetwork.Server : client.Host;

    public static int SizeLimitOf(int variant) => 64 + variant / 8 * 12;

    /// <summary>The fault in a plan's words: which host, which error, how long.</summary>
    public static string Describe(ScheduledFault fault) =>
        $"send-failure({(fault.Variant / 4 % 2 == 0 ? "server" : $"client {fault.Client}")}, " +
        $"{ModeOf(fault.Variant) switch { SendFaultMode.BufferFull => "EAGAIN", SendFaultMode.NoBuffers => "ENOBUFS", SendFaultMode.TooBig => $"EMSGSIZE>{SizeLimitOf(fault.Variant)}", _ => "partial" }}, " +
        $"{fault.Duration.TotalSeconds:0.0}s)@{fault.At.TotalSeconds:0.000}s";
}
