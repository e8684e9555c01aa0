using System;
using System.Collections.Generic;
using System.IO;
using DanePS.Tests.Fixtures.Dns;
using Xunit;

namespace DanePS.Tests.Module;

/// <summary>
/// Ctrl+C (PowerShell.Stop, which calls StopProcessing) ends every cmdlet within a second, whatever it waits on:
/// a resolver that never answers (the resolver assessment, A, AAAA, TLSA and MX lookups), a server that
/// accepts the connection and then says nothing, or a DNS provider's primary that never answers (while the pipeline
/// thread waits in the cmdlet's mailbox for the provider change or the rollover).
/// </summary>
public class StopTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    private readonly ModuleSession _session = new();
    private readonly SilentDnsServer _silent = SilentDnsServer.Start();
    private readonly HostileDnsServer _dns;
    private readonly string _state = Directory.CreateTempSubdirectory("daneps-stop-").FullName;

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
        Directory.Delete(_state, recursive: true);
    }

    // An RFC 2136 provider whose primary is the silent server: every request waits for an answer that never comes.
    private const string SilentPrimary = "$p = New-TlsaProvider -Rfc2136 -Zone example.test -PrimaryServer $silent " +
        "-TsigKey ([pscredential]::new('key.example.test', [Net.NetworkCredential]::new('', 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=').SecurePassword)); ";

    private const string StagedCertificate = "$c = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=mx.example.test', " +
        "[Security.Cryptography.ECDsa]::Create(), 'SHA256').CreateSelfSigned([DateTimeOffset]::UtcNow, [DateTimeOffset]::UtcNow.AddDays(1)); ";

    [Theory]
    [InlineData("Get-TlsaRecord mx.example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Get-TlsaRecord -MailDomain example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Test-DaneEndpoint mx.example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Test-DaneMailDomain example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Get-ServerSpkiHash -HostName mx.example.test -Server $silent -DnsTimeoutSec 30")]
    [InlineData("Test-DaneEndpoint mx.example.test -Port $port -StartTls Smtp -Server $dns -TimeoutSec 60")]
    [InlineData("Get-ServerSpkiHash -HostName mx.example.test -Port $port -StartTls Smtp -Server $dns -TimeoutSec 60")]
    [InlineData("Get-ServerSpkiHash -HostName mx.example.test -Address 127.0.0.1 -Port $port -StartTls Smtp -TimeoutSec 60")]
    [InlineData(SilentPrimary + "'3 1 1 ' + 'ab' * 32 | Publish-TlsaRecord -Provider $p -HostName mx.example.test -Confirm:$false")]
    [InlineData(SilentPrimary + StagedCertificate + "Invoke-TlsaRollover mx.example.test -StagedCertificate $c -Provider $p -Server $dns -StateDirectory $state -Confirm:$false")]
    public void Ctrl_C_ends_the_command_within_a_second(string script)
    {
        var vars = new Dictionary<string, object?>
        {
            ["silent"] = $"{_silent.EndPoint.Address}:{_silent.EndPoint.Port}",
            ["dns"] = _dns.Address,
            ["port"] = _silent.EndPoint.Port,
            ["state"] = _state,
        };
        var (wasRunning, took) = _session.StopAfter(script, TimeSpan.FromSeconds(1.5), vars);
        Assert.True(wasRunning, "the command ended by itself before it was stopped: " + string.Join("; ", _session.LastErrors));
        Assert.True(took < Budget, $"the stop took {took.TotalMilliseconds:0} ms");
    }
}
