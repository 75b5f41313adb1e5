using MyVpn.Doctor;
using Xunit;

namespace MyVpn.Tests.Unit.Doctor;

public sealed class DoctorLineTests
{
    [Fact]
    public void Lines_read_ok_warn_and_FAIL_with_the_advice_after_a_colon()
    {
        Assert.Equal("ok   IPv4 forwarding is on", DoctorLine.Ok("IPv4 forwarding is on").ToString());
        Assert.Equal("warn no masquerade: set it", DoctorLine.Warn("no masquerade", "set it").ToString());
        Assert.Equal("FAIL NAT rule missing: restart", DoctorLine.Fail("NAT rule missing", "restart").ToString());
    }

    [Fact]
    public void Exit_status_is_1_only_when_a_line_failed()
    {
        Assert.Equal(0, DoctorReport.ExitCode([DoctorLine.Ok("a"), DoctorLine.Warn("b", "c")]));
        Assert.Equal(1, DoctorReport.ExitCode([DoctorLine.Ok("a"), DoctorLine.Fail("b", "c")]));
    }

    [Fact]
    public void A_healthy_server_and_client_pass_every_check()
    {
        Assert.Equal(0, DoctorReport.ExitCode(DoctorChecks.Run(DoctorFacts.HealthyServer())));
        Assert.Equal(0, DoctorReport.ExitCode(DoctorChecks.Run(DoctorFacts.HealthyClient())));
        Assert.All(DoctorChecks.Run(DoctorFacts.HealthyServer(runningPid: 42) with { Ruleset = DoctorFacts.MasqueradeRuleset }), line => Assert.Equal(Verdict.Ok, line.Verdict));
    }

    [Fact]
    public void A_config_that_does_not_resolve_fails_and_leaves_out_the_checks_that_need_it()
    {
        var facts = DoctorFacts.HealthyServer() with
        {
            Host = DoctorFacts.Host with { ConfigProblem = "key file k.key is accessible by group or others (mode 0644); run: chmod 600 k.key" },
            Setup = null,
        };
        var lines = DoctorChecks.Run(facts);
        Assert.Contains("FAIL config: key file k.key is accessible by group or others (mode 0644); run: chmod 600 k.key", lines.Select(l => l.ToString()));
        Assert.DoesNotContain(lines, l => l.What.Contains("TCP port", StringComparison.Ordinal));
        Assert.Equal(1, DoctorReport.ExitCode(lines));
    }

    [Fact]
    public void Not_root_and_no_tun_node_fail_with_what_to_do()
    {
        var lines = DoctorReport.Run(DoctorFacts.Host with { IsRoot = false, TunNodeExists = false }, DoctorChecks.Host).Select(l => l.ToString()).ToList();
        Assert.Contains(lines, l => l.StartsWith("FAIL not running as root: ", StringComparison.Ordinal) && l.EndsWith("run it with sudo", StringComparison.Ordinal));
        Assert.Contains("FAIL /dev/net/tun is missing: load the tun module (modprobe tun) or give the container the device (--device /dev/net/tun)", lines);
    }
}
