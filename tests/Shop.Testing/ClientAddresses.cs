using System.Net;
using System.Net.Sockets;

namespace Shop.Testing;

/// <summary>
/// Clients with loopback addresses of their own (127.0.0.2, 127.0.0.3, …; all of 127/8 is loopback on Linux). The
/// gateway counts per client address and believes nothing a client says about it, so a test that needs two
/// shoppers from two places connects from two addresses, exactly as two real clients would.
/// </summary>
public static class ClientAddresses
{
    private static int _last = 1;

    /// <summary>A loopback address no other client of this process has had (never 127.0.0.1, the services' own).</summary>
    public static IPAddress Next()
    {
        var n = Interlocked.Increment(ref _last);
        // 127.0.0.2 … 127.0.0.254, then 127.0.1.1 …: skip .0 and .255 in the last place.
        var (high, low) = Math.DivRem(n - 1, 254);
        return new IPAddress([127, (byte)(high >> 8), (byte)high, (byte)(low + 1)]);
    }

    /// <summary>A handler whose every connection leaves from <paramref name="source"/> (<c>localhost</c> is taken as 127.0.0.1).</summary>
    public static SocketsHttpHandler Handler(IPAddress source) => new()
    {
        ConnectCallback = (context, cancellationToken) => ConnectAsync(source, context.DnsEndPoint, cancellationToken),
    };

    /// <summary>A TCP connection from <paramref name="source"/> to <paramref name="target"/> on loopback.</summary>
    public static async ValueTask<Stream> ConnectAsync(IPAddress source, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var address = target.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(target.Host);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(address, target.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>
/// A TCP relay on 127.0.0.1 whose every connection reaches <paramref name="target"/> from its own
/// <see cref="Source"/> address: how a browser, which cannot choose its source address, becomes a client of its own
/// to the gateway. Bytes pass through unchanged.
/// </summary>
public sealed class LoopbackRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly DnsEndPoint _target;

    public LoopbackRelay(Uri target, IPAddress source)
    {
        (_target, Source) = (new DnsEndPoint(target.Host, target.Port), source);
        _listener.Start();
        Address = new UriBuilder(target) { Host = "127.0.0.1", Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri;
        _accepting = AcceptAsync();
    }

    /// <summary>Where the browser connects.</summary>
    public Uri Address { get; }

    /// <summary>The address the gateway sees the browser's connections come from.</summary>
    public IPAddress Source { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var upstream = await ClientAddresses.ConnectAsync(Source, _target, _stop.Token);
                var downstream = client.GetStream();
                // Either side closing ends the relay of this connection.
                await Task.WhenAny(downstream.CopyToAsync(upstream, _stop.Token), upstream.CopyToAsync(downstream, _stop.Token));
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The browser or the gateway went away mid-connection: nothing to relay.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
