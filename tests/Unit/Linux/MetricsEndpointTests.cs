using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Linux;
using MyVpn.Metrics;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>The metrics endpoint over real loopback TCP: it answers each request and closes, and refuses a taken address.</summary>
public sealed class MetricsEndpointTests
{
    private static readonly NetEndpoint AnyLoopbackPort = NetEndpoint.Parse("127.0.0.1:0");

    private static MetricsEndpoint Start(Func<string> exposition) =>
        MetricsEndpoint.Start(AnyLoopbackPort, head => MetricsHttp.Respond(head, exposition), MetricsHttp.MaxRequestHead, NullLogger.Instance);

    private static string Request(NetEndpoint endpoint, string request)
    {
        using var client = new TcpClient();
        client.Connect(endpoint.ToIPEndPoint());
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd(); // the endpoint closes after answering
    }

    [Fact]
    public void Each_scrape_is_answered_with_what_is_collected_then_and_the_connection_closed()
    {
        var scrapes = 0;
        using var endpoint = Start(() => $"scrapes {++scrapes}\n");

        var first = Request(endpoint.LocalEndpoint, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var second = Request(endpoint.LocalEndpoint, "GET /metrics HTTP/1.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", first);
        Assert.EndsWith("\r\n\r\nscrapes 1\n", first);
        Assert.EndsWith("\r\n\r\nscrapes 2\n", second);
    }

    [Fact]
    public void A_client_that_closes_mid_request_gets_an_error_and_the_next_one_is_served()
    {
        using var endpoint = Start(() => "m 1\n");

        using (var client = new TcpClient())
        {
            client.Connect(endpoint.LocalEndpoint.ToIPEndPoint());
            var stream = client.GetStream();
            stream.Write("GET /met"u8);
            client.Client.Shutdown(SocketShutdown.Send);
            using var reader = new StreamReader(stream);
            Assert.StartsWith("HTTP/1.1 400 Bad Request", reader.ReadToEnd());
        }

        Assert.StartsWith("HTTP/1.1 404 Not Found", Request(endpoint.LocalEndpoint, "GET / HTTP/1.1\r\n\r\n"));
        Assert.EndsWith("m 1\n", Request(endpoint.LocalEndpoint, "GET /metrics HTTP/1.1\r\n\r\n"));
    }

    [Fact]
    public void A_collection_that_throws_leaves_that_scrape_unanswered_and_the_endpoint_serving()
    {
        var scrapes = 0;
        using var endpoint = Start(() => ++scrapes == 1 ? throw new InvalidOperationException("engine gone") : "m 2\n");

        var failed = Request(endpoint.LocalEndpoint, "GET /metrics HTTP/1.1\r\n\r\n");
        var next = Request(endpoint.LocalEndpoint, "GET /metrics HTTP/1.1\r\n\r\n");

        Assert.Equal("", failed);
        Assert.EndsWith("\r\n\r\nm 2\n", next);
    }

    [Fact]
    public void An_address_in_use_is_refused_with_one_line_naming_it()
    {
        using var first = Start(() => "");

        var error = Assert.Throws<SetupException>(() =>
            MetricsEndpoint.Start(first.LocalEndpoint, _ => [], MetricsHttp.MaxRequestHead, NullLogger.Instance));

        Assert.StartsWith($"cannot listen on TCP {first.LocalEndpoint} for metrics: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Stopping_closes_the_port()
    {
        var endpoint = Start(() => "");
        var address = endpoint.LocalEndpoint;

        endpoint.Dispose();

        using var client = new TcpClient();
        Assert.Throws<SocketException>(() => client.Connect(address.ToIPEndPoint()));
    }
}
