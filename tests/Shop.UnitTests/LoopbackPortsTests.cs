using System.Net;
using System.Net.Sockets;
using Shop.AppHost;

namespace Shop.UnitTests;

public sealed class LoopbackPortsTests
{
    [Fact]
    public void NoPortIsHandedOutTwiceAndEveryOneIsBelowTheEphemeralRange()
    {
        var ports = Enumerable.Range(0, 200).Select(_ => LoopbackPorts.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 10_000, 14_999));
    }

    [Fact]
    public void APortSomethingListensOnIsNeverHandedOut()
    {
        // The first 500 ports of the range are taken: random picks hit them about once in ten.
        var held = new List<TcpListener>();
        try
        {
            for (var port = LoopbackPorts.First; port < LoopbackPorts.First + 500; port++)
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                try
                {
                    listener.Start();
                    held.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Dispose(); // Taken by something else already: just as good.
                }
            }

            var ports = Enumerable.Range(0, 300).Select(_ => LoopbackPorts.Next()).ToList();

            Assert.All(ports, port => Assert.True(port >= LoopbackPorts.First + 500, $"{port} is in use."));
        }
        finally
        {
            held.ForEach(listener => listener.Stop());
        }
    }
}
