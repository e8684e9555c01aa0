using System;
using DanePS.Engine.Tls;
using Xunit;

namespace DanePS.Tests.Tls;

[Trait("Category", "Unit")]
public class TlsProbeOptionsTests
{
    [Theory]
    [InlineData(30, 10, 15)]
    [InlineData(12, 10, 12)]
    [InlineData(5, 5, 5)]
    public void A_deadline_bounds_the_connect_and_each_read_too(int deadline, int connect, int read)
    {
        var options = TlsProbeOptions.WithinDeadline(TimeSpan.FromSeconds(deadline));
        Assert.Equal(TimeSpan.FromSeconds(deadline), options.OverallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(connect), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(read), options.ReadTimeout);
    }
}
