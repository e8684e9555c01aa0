using System;
using System.Collections.Generic;
using DanePS.Tests.Fixtures.Dns;
using Xunit;

namespace DanePS.Tests.Module;

/// <summary>
/// Ctrl+C (PowerShell.Stop, which calls StopProcessing) ends every cmdlet within a second, whatever it waits on:
/// a resolver that never answers (the resolver assessment, A, AAAA, TLSA and MX lookups) or a server that
/// accepts the connection and then says nothing.
/// </summary>
public class StopTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    private readonly ModuleSession _session = new();
    private readonly SilentDnsServer _silent = SilentDnsServer.Start();
    private readonly HostileDnsServer _dns;

    public StopTests()
    {
        // Names resolve to 127.0.0.1 and carry a secure TLSA record, so a check gets as far as the connection,
        // which goes to the silent server's TCP port: accepted, then nothing.
        var tlsa = new byte[35];
        tlsa[0] = 3;
        tlsa[1] = 1;
        tlsa[2] = 1;
        _dns = HostileDnsServer.Start(q => q.Type == DnsQuery.Tlsa
            ? q.Respond(0, true, new DnsRecord(q.Name, DnsQuery.Tlsa, tlsa))
            : HostileDnsServer.Plausible(q));
    }

    public void Dispose()
    {
        _session.Dispose();
        _silent.Dispose();
        _dns.Dispose();
    }

    [Theory]
    [InlineData("Get-TlsaRecord mx.example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Get-TlsaRecord -MailDomain example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Test-DaneEndpoint mx.example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Test-DaneMailDomain example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Get-ServerSpkiHash -HostName mx.example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Test-DaneEndpoint mx.example.test -Port $port -StartTls Smtp -Server $dns -TimeoutSec 60")]
    [InlineData("Get-ServerSpkiHash -HostName mx.example.test -Port $port -StartTls Smtp -Server $dns -TimeoutSec 60")]
    [InlineData("Get-ServerSpkiHash -HostName mx.example.test -Address 127.0.0.1 -Port $port -StartTls Smtp -TimeoutSec 60")]
    public void Ctrl_C_ends_the_command_within_a_second(string script)
    {
        var vars = new Dictionary<string, object?>
        {
            ["silent"] = $"{_silent.EndPoint.Address}:{_silent.EndPoint.Port}",
            ["dns"] = _dns.Address,
            ["port"] = _silent.EndPoint.Port,
        };
        var (wasRunning, took) = _session.StopAfter(script, TimeSpan.FromSeconds(1.5), vars);
        Assert.True(wasRunning, "the command ended by itself before it was stopped: " + string.Join("; ", _session.LastErrors));
        Assert.True(took < Budget, $"the stop took {took.TotalMilliseconds:0} ms");
    }
}
