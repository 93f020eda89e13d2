using System.Net;
using System.Net.Sockets;

namespace Shop.AppHost;

/// <summary>
/// Ports for the endpoints the AppHost fixes before anything runs (a local Redis or Garnet, each storefront replica),
/// which their processes bind seconds later. Asking the OS for a free port (bind to port 0, close) is not enough: the
/// port is free again at once, so a later ask may get the same one, and meanwhile any outgoing connection may take it
/// as its local port. Two storefront replicas were once given one port that way: the second failed to bind and
/// exited, while the first answered the second's health checks. So ports come from below the OS's ephemeral range
/// (Linux 32768–60999, Windows and macOS 49152–65535), where the OS hands out nothing by itself, and no port is
/// handed out twice by one AppHost. (The test harness picks its own ports from the range just above this one.)
/// </summary>
public static class LoopbackPorts
{
    public const int First = 10_000;
    public const int Last = 14_999;

    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(First, Last + 1);
                if (!HandedOut.Contains(port) && IsFree(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"No free loopback port left in {First}–{Last}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
