using System.Text;
using MyVpn.Metrics;
using Xunit;

namespace MyVpn.Tests.Unit.Metrics;

/// <summary>The endpoint's HTTP: GET /metrics answers the exposition, everything else a short error; each answer closes.</summary>
public sealed class MetricsHttpTests
{
    private static (string Head, string Body) Split(byte[] response)
    {
        var text = Encoding.UTF8.GetString(response);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (text[..end], text[(end + 4)..]);
    }

    [Fact]
    public void Get_metrics_answers_200_with_the_exposition_in_format_0_0_4()
    {
        var (head, body) = Split(MetricsHttp.Respond("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", () => "m 1\n"));

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8", head);
        Assert.Contains("Content-Length: 4", head);
        Assert.Contains("Connection: close", head);
        Assert.Equal("m 1\n", body);
    }

    [Fact]
    public void Query_string_is_ignored_and_head_gets_no_body()
    {
        Assert.StartsWith("HTTP/1.1 200 OK", Split(MetricsHttp.Respond("GET /metrics?x=1 HTTP/1.0\r\n\r\n", () => "m 1\n")).Head);
        var (head, body) = Split(MetricsHttp.Respond("HEAD /metrics HTTP/1.1\r\n\r\n", () => "m 1\n"));
        Assert.StartsWith("HTTP/1.1 200 OK", head);
        Assert.Contains("Content-Length: 4", head);
        Assert.Equal("", body);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1", "404 Not Found")]
    [InlineData("GET /metricsx HTTP/1.1", "404 Not Found")]
    [InlineData("POST /metrics HTTP/1.1", "405 Method Not Allowed")]
    [InlineData("GET /metrics", "400 Bad Request")]
    [InlineData("GET /metrics SPDY/3", "400 Bad Request")]
    [InlineData("\u0016\u0003\u0001 garbage", "400 Bad Request")]
    [InlineData("", "400 Bad Request")]
    public void Anything_else_gets_an_error_status_and_no_metrics(string requestLine, string status)
    {
        var collected = false;
        var (head, body) = Split(MetricsHttp.Respond(requestLine + "\r\n\r\n", () => { collected = true; return "m 1\n"; }));

        Assert.StartsWith($"HTTP/1.1 {status}\r\n", head);
        Assert.False(collected);
        Assert.DoesNotContain("m 1", body);
    }
}
