using System.Text.Json;
using MyVpn.Cli.Status;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Status;

/// <summary>
/// The status JSON is a documented, stable schema: these tests hold it to committed golden files
/// (tests/Unit/Status/*.json; UPDATE_SNAPSHOTS=1 rewrites them for review) and check that it reads back.
/// </summary>
public sealed class StatusJsonTests
{
    [Fact]
    public void Server_status_json_matches_the_golden_file()
    {
        Golden.Match("Status/server-status.json", StatusReports.ToJson(StatusSamples.Server()) + "\n");
    }

    [Fact]
    public void Client_status_json_matches_the_golden_file()
    {
        Golden.Match("Status/client-status.json", StatusReports.ToJson(StatusSamples.Client()) + "\n");
    }

    [Fact]
    public void Status_json_reads_back_into_the_same_report()
    {
        var report = StatusSamples.Server();
        var read = JsonSerializer.Deserialize(StatusReports.ToJson(report), StatusJson.Default.StatusReport)!;
        Assert.Equal(StatusReports.ToJson(report), StatusReports.ToJson(read));
        Assert.Equal(2, read.Sessions.Count);
        Assert.Equal(3, read.Drops["Replayed"]);
    }

    [Fact]
    public void Status_json_has_snake_case_keys_and_the_schema_number()
    {
        using var json = JsonDocument.Parse(StatusReports.ToJson(StatusSamples.Server()));
        Assert.Equal(StatusReport.CurrentSchema, json.RootElement.GetProperty("schema").GetInt32());
        var session = json.RootElement.GetProperty("sessions")[0];
        Assert.Equal(12, session.GetProperty("seconds_since_handshake").GetInt64());
        Assert.Equal(120, session.GetProperty("traffic").GetProperty("rx_packets").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sessions")[1].GetProperty("endpoint").ValueKind);
    }

    [Fact]
    public void Every_drop_reason_is_listed_even_at_zero()
    {
        var report = StatusSamples.Client();
        Assert.Equal(Enum.GetValues<MyVpn.Protocol.DropReason>().Length, report.Drops.Count);
        Assert.Equal(1, report.Drops["NotIPv4"]);
        Assert.Equal(0, report.Drops["Replayed"]);
    }

    [Fact]
    public void Status_reply_is_ok_then_the_json()
    {
        var reply = StatusReports.Reply(StatusSamples.Client());
        Assert.StartsWith("ok\n{", reply);
        Assert.Equal(StatusReports.ToJson(StatusSamples.Client()) + "\n", ControlReply.Body(reply));
    }
}
