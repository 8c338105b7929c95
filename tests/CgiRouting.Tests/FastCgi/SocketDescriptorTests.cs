using System;
using System.IO;
using System.Net.Sockets;
using CgiRouting.FastCgi;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// What <c>--fastcgi unix:/path</c> does with what is already at the path: the socket file of a worker that is gone
/// is replaced; a live worker's socket and any other file are left as they are, and the worker says why it cannot start.
/// And a listener's queue, which the pool's status reports, on a unix socket as on TCP.
/// </summary>
public sealed class SocketDescriptorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cgirouting-sock-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertAccepts(string path)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path)); // queued in the backlog: no accept needed
    }

    [Fact]
    public void The_socket_file_of_a_worker_that_is_gone_is_replaced()
    {
        string path = Path.Combine(_directory, "app.sock");
        int gone = SocketDescriptor.Listen("unix:" + path, 4);
        SocketDescriptor.Close(gone); // killed: its file stays, and nothing listens on it
        Assert.True(File.Exists(path));

        int listener = SocketDescriptor.Listen("unix:" + path, 4);
        try
        {
            Assert.True(SocketDescriptor.IsListening(listener));
            Assert.Equal("unix:" + path, SocketDescriptor.Describe(listener));
            AssertAccepts(path);
        }
        finally
        {
            SocketDescriptor.Close(listener);
        }
    }

    [Fact]
    public void A_live_workers_socket_is_not_taken_over()
    {
        string path = Path.Combine(_directory, "app.sock");
        int live = SocketDescriptor.Listen("unix:" + path, 4);
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => SocketDescriptor.Listen("unix:" + path, 4));
            Assert.Equal($"Could not bind and listen on unix:{path}: Address already in use (errno 98).", e.Message);
            AssertAccepts(path); // the first worker still has its socket
            AssertAccepts(path);
        }
        finally
        {
            SocketDescriptor.Close(live);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_socket_is_never_removed()
    {
        string path = Path.Combine(_directory, "notes.txt");
        File.WriteAllText(path, "keep me");
        var e = Assert.Throws<InvalidOperationException>(() => SocketDescriptor.Listen("unix:" + path, 4));
        Assert.Equal($"Could not listen on unix:{path}: a file that is not a socket is there, and it is left as it is.", e.Message);
        Assert.Equal("keep me", File.ReadAllText(path));

        // Nor is a symbolic link to a socket followed and its target replaced.
        string target = Path.Combine(_directory, "target.sock");
        SocketDescriptor.Close(SocketDescriptor.Listen("unix:" + target, 4));
        string link = Path.Combine(_directory, "link.sock");
        File.CreateSymbolicLink(link, target);
        Assert.Throws<InvalidOperationException>(() => SocketDescriptor.Listen("unix:" + link, 4));
        Assert.True(File.Exists(target));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void A_path_in_a_missing_directory_is_refused_with_the_systems_reason()
    {
        string path = Path.Combine(_directory, "missing", "app.sock");
        var e = Assert.Throws<InvalidOperationException>(() => SocketDescriptor.Listen("unix:" + path, 4));
        Assert.Equal($"Could not bind and listen on unix:{path}: No such file or directory (errno 2).", e.Message);
    }

    [Fact]
    public void A_worker_restarted_at_once_listens_again_on_its_TCP_port()
    {
        // A worker that closed its connections first leaves them in TIME_WAIT for a minute: its successor on the same
        // port must still be able to listen there (SO_REUSEADDR), as every restart of a supervised worker does.
        int first = SocketDescriptor.Listen("127.0.0.1:0", 4);
        string address = SocketDescriptor.Describe(first);
        using (var client = new TcpClient())
        {
            client.Connect("127.0.0.1", int.Parse(address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            int connection = SocketDescriptor.Accept(first);
            SocketDescriptor.Close(connection); // the worker's side closes first: its end goes to TIME_WAIT
        }
        SocketDescriptor.Close(first);

        int second = SocketDescriptor.Listen(address, 4);
        try
        {
            Assert.Equal(address, SocketDescriptor.Describe(second));
        }
        finally
        {
            SocketDescriptor.Close(second);
        }
    }

    [Fact]
    public void A_TCP_port_in_use_is_refused_with_the_systems_reason()
    {
        int first = SocketDescriptor.Listen("127.0.0.1:0", 4);
        try
        {
            string address = SocketDescriptor.Describe(first);
            var e = Assert.Throws<InvalidOperationException>(() => SocketDescriptor.Listen(address, 4));
            Assert.Equal($"Could not bind and listen on {address}: Address already in use (errno 98).", e.Message);
        }
        finally
        {
            SocketDescriptor.Close(first);
        }
    }

    [Fact]
    public void A_unix_sockets_listen_queue_counts_the_connections_not_accepted_and_gives_the_backlog()
    {
        // What --status-path's listen_queue and listen_queue_len say of a pool on a unix socket: netlink's sock_diag
        // (UDIAG_SHOW_RQLEN) as ss -xl reads it. Before, ListenQueue was null for a unix socket.
        string path = Path.Combine(_directory, "queue.sock");
        int listener = SocketDescriptor.Listen("unix:" + path, 8);
        var clients = new System.Collections.Generic.List<Socket>();
        try
        {
            Assert.Equal((0, 8), SocketDescriptor.ListenQueue(listener));
            for (int i = 0; i < 3; i++)
            {
                var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                clients.Add(client);
                client.Connect(new UnixDomainSocketEndPoint(path)); // queued: nothing accepts it
            }
            Assert.Equal((3, 8), SocketDescriptor.ListenQueue(listener));
            SocketDescriptor.Close(SocketDescriptor.Accept(listener));
            Assert.Equal((2, 8), SocketDescriptor.ListenQueue(listener));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            SocketDescriptor.Close(listener);
        }
    }

    [Fact]
    public void A_TCP_sockets_listen_queue_is_read_as_before()
    {
        int listener = SocketDescriptor.Listen("127.0.0.1:0", 8);
        try
        {
            Assert.Equal((0, 8), SocketDescriptor.ListenQueue(listener));
            using var client = new TcpClient();
            client.Connect("127.0.0.1", int.Parse(SocketDescriptor.Describe(listener).Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            // The handshake's last ACK reaches the listener's queue just after connect(2) returns: wait for it.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (SocketDescriptor.ListenQueue(listener) != (1, 8) && clock.ElapsedMilliseconds < 2000)
                System.Threading.Thread.Sleep(10);
            Assert.Equal((1, 8), SocketDescriptor.ListenQueue(listener));
        }
        finally
        {
            SocketDescriptor.Close(listener);
        }
    }

    [Fact]
    public void A_descriptor_that_is_not_a_listening_socket_has_no_listen_queue()
    {
        using (var file = File.OpenRead("/proc/self/status"))
            Assert.Null(SocketDescriptor.ListenQueue((int)file.SafeFileHandle.DangerousGetHandle()));
        string path = Path.Combine(_directory, "connected.sock");
        int listener = SocketDescriptor.Listen("unix:" + path, 8);
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(path));
            Assert.Null(SocketDescriptor.ListenQueue((int)client.Handle)); // connected, not listening: its queues are bytes
        }
        finally
        {
            SocketDescriptor.Close(listener);
        }
    }

    [Fact]
    public void A_descriptor_that_is_not_a_socket_is_described_by_its_number()
    {
        using var file = File.OpenRead("/proc/self/status");
        int descriptor = (int)file.SafeFileHandle.DangerousGetHandle();
        Assert.Equal($"descriptor {descriptor}", SocketDescriptor.Describe(descriptor));
        Assert.False(SocketDescriptor.IsListening(descriptor));
    }
}
