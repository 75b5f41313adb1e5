using System.Text;

namespace MyVpn.Metrics;

/// <summary>
/// The metrics endpoint's HTTP/1.1, all of it: <c>GET /metrics</c> (or <c>HEAD</c>; a query string is
/// ignored) answers 200 with the exposition, another path 404, another method 405, a request line that is
/// not HTTP/1.x 400. Every answer closes the connection. Pure: request text in, response bytes out.
/// </summary>
public static class MetricsHttp
{
    /// <summary>The most a request's head may take; the endpoint reads no further.</summary>
    public const int MaxRequestHead = 8192;

    /// <param name="requestHead">The request as read, at least its first line.</param>
    /// <param name="exposition">Collects the metrics as text; called only for a request that gets them.</param>
    public static byte[] Respond(string requestHead, Func<string> exposition)
    {
        var line = requestHead.Split('\n', 2)[0].TrimEnd('\r');
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !parts[1].StartsWith('/'))
            return Response("400 Bad Request", "text/plain; charset=utf-8", "bad request\n", withBody: true);
        if (parts[0] is not ("GET" or "HEAD"))
            return Response("405 Method Not Allowed", "text/plain; charset=utf-8", "only GET and HEAD\n", withBody: true, "Allow: GET, HEAD\r\n");
        var path = parts[1].Split('?', 2)[0];
        if (path != "/metrics")
            return Response("404 Not Found", "text/plain; charset=utf-8", "not found: the metrics are at /metrics\n", withBody: parts[0] == "GET");
        return Response("200 OK", PrometheusText.ContentType, exposition(), withBody: parts[0] == "GET");
    }

    private static byte[] Response(string status, string contentType, string body, bool withBody, string extraHeaders = "")
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\n{extraHeaders}Connection: close\r\n\r\n");
        return withBody ? [.. head, .. content] : head;
    }
}
