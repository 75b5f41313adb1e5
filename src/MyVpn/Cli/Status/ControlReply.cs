using MyVpn.Linux;

namespace MyVpn.Cli.Status;

/// <summary>Reads a control socket reply: first line <c>ok</c> or <c>error: …</c>, then the body.</summary>
internal static class ControlReply
{
    /// <summary>The body after an <c>ok</c> line; an <c>error:</c> reply (or anything else) becomes a <see cref="SetupException"/> with its line.</summary>
    public static string Body(string reply)
    {
        var newline = reply.IndexOf('\n');
        var first = newline < 0 ? reply : reply[..newline];
        var body = newline < 0 ? "" : reply[(newline + 1)..];
        if (first == "ok")
            return body;
        if (first.StartsWith("error: ", StringComparison.Ordinal))
            throw new SetupException(first["error: ".Length..]);
        throw new SetupException(first.Length == 0 ? "the daemon sent an empty reply" : $"the daemon's reply is not understood: {first}");
    }
}
