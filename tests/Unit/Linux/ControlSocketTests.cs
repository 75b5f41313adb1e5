using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Linux;
using MyVpn.Tests.Unit.Cli;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>The control socket's protocol over a real Unix socket in a private directory: one line in, <c>ok</c> or <c>error:</c> out.</summary>
public sealed class ControlSocketTests : IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly string _path;
    private readonly List<string> _arguments = [];
    private readonly Dictionary<string, Func<string, string>> _commands;

    public ControlSocketTests()
    {
        _path = Path.Combine(_files.Path, "run", "tun9.1.sock");
        _commands = new(StringComparer.Ordinal)
        {
            ["status"] = argument =>
            {
                lock (_arguments)
                    _arguments.Add(argument);
                return "ok\n{\"schema\": 1}";
            },
            ["reload"] = _ => throw new InvalidOperationException("server.toml line 3: key 'clients' is broken"),
        };
    }

    public void Dispose() => _files.Dispose();

    private ControlSocket Start() => ControlSocket.Start(_path, _commands, NullLogger.Instance);

    private string Ask(string request) => ControlClient.Request(_path, "tun9", request);

    [Fact]
    public void A_command_gets_its_handlers_reply()
    {
        using var control = Start();
        Assert.Equal("ok\n{\"schema\": 1}\n", Ask("status"));
        Assert.Equal("ok\n{\"schema\": 1}\n", Ask("status --verbose"));
        Assert.Equal(["", "--verbose"], _arguments);
    }

    [Fact]
    public void An_unknown_command_is_an_error_naming_the_known_ones_and_the_socket_goes_on()
    {
        using var control = Start();
        Assert.Equal("error: unknown command 'stats' (known: reload, status)\n", Ask("stats"));
        Assert.Equal("error: unknown command '' (known: reload, status)\n", Ask(""));
        Assert.StartsWith("ok\n", Ask("status"));
    }

    [Fact]
    public void A_handler_that_throws_becomes_one_error_line()
    {
        using var control = Start();
        Assert.Equal("error: reload failed: server.toml line 3: key 'clients' is broken\n", Ask("reload"));
        Assert.StartsWith("ok\n", Ask("status"));
    }

    [Fact]
    public void Socket_is_0600_in_a_0700_directory_and_gone_after_dispose()
    {
        using (Start())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(Path.GetDirectoryName(_path)!));
        }
        Assert.False(File.Exists(_path));
    }

    [Fact]
    public void A_stale_socket_file_is_replaced()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        // a socket file nobody listens on, as a killed daemon leaves it
        using var crashed = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        crashed.Bind(new UnixDomainSocketEndPoint(_path));
        Assert.True(File.Exists(_path));
        using var control = Start();
        Assert.StartsWith("ok\n", Ask("status"));
    }

    [Fact]
    public void A_live_socket_is_not_taken_over()
    {
        using var first = Start();
        var error = Assert.Throws<SetupException>(Start);
        Assert.Contains("another process listens", error.Message);
        Assert.StartsWith("ok\n", Ask("status"));
    }

    [Fact]
    public void A_silent_client_is_cut_off_and_others_are_served_after_it()
    {
        using var control = Start();
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        silent.Connect(new UnixDomainSocketEndPoint(_path));
        // queued behind the silent one: answered once the read timeout has cut it off
        Assert.StartsWith("ok\n", Ask("status"));
        var reply = ReadToEnd(silent);
        Assert.StartsWith("error: no request line", reply);
    }

    [Fact]
    public void A_request_line_that_never_ends_is_refused()
    {
        using var control = Start();
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(_path));
        client.Send(new byte[ControlSocket.MaxRequestLength + 1].Select(_ => (byte)'x').ToArray());
        Assert.StartsWith("error: no request line", ReadToEnd(client));
    }

    [Fact]
    public void No_daemon_is_one_line_saying_to_start_it_or_run_as_root()
    {
        var error = Assert.Throws<SetupException>(() => Ask("status"));
        Assert.Equal("no MyVpn daemon on tun9 in this network namespace (is it running? it must be run as root)", error.Message);
    }

    private static string ReadToEnd(Socket socket)
    {
        socket.ReceiveTimeout = 30_000;
        var reply = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = socket.Receive(buffer)) > 0)
            reply.Write(buffer, 0, read);
        return Encoding.UTF8.GetString(reply.ToArray());
    }
}
