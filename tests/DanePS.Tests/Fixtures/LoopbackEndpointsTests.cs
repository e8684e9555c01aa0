using System.Net;
using System.Net.Sockets;
using DanePS.Tests.Fixtures.Servers;
using Xunit;

namespace DanePS.Tests.Fixtures;

/// <summary>A slot whose addresses a leftover server still listens on is not claimed again.</summary>
public sealed class LoopbackEndpointsTests
{
    [Fact]
    public void A_slot_with_a_listening_server_is_seen_as_taken()
    {
        // 127.127.x is below the slots handed out (128–254), so no fixture of any run uses it.
        const int slot = 127;
        Assert.False(LoopbackEndpoints.SlotHasListeners(slot));
        var listener = new TcpListener(new IPAddress(new byte[] { 127, slot, 3, 4 }), 0);
        listener.Start();
        try
        {
            Assert.True(LoopbackEndpoints.SlotHasListeners(slot));
        }
        finally
        {
            listener.Stop();
        }

        Assert.False(LoopbackEndpoints.SlotHasListeners(slot));
    }
}
