using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Certificates;
using DanePS.Tests.Fixtures.Pki;
using DanePS.Tests.Matching;
using DanePS.Tests.Fixtures.Dns;
using DanePS.Tests.Fixtures.InProcess;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Dns;

/// <summary>Get-ServerSpkiHash -HostName resolves through -Server, like every other DanePS cmdlet, and reads every address.</summary>
public class ServerSpkiHashResolutionTests : IClassFixture<MatcherPki>, IDisposable
{
    private readonly MatcherPki _pki;
    private readonly ModuleSession _session = new();

    public ServerSpkiHashResolutionTests(MatcherPki pki) => _pki = pki;

    public void Dispose() => _session.Dispose();

    [Fact]
    public void The_host_name_is_resolved_through_the_given_resolver_and_every_address_is_read()
    {
        using var tls = new InProcessTlsServer(_pki.Leaf, new[] { _pki.Intermediate }, smtpStartTls: false);

        // 127.0.0.1 runs the server; 127.0.0.2 is the same host's second address, where nothing listens.
        using var dns = HostileDnsServer.Start(q => q.Type == DnsQuery.A && q.Name == "tls.example.test"
            ? q.Respond(0, true, new DnsRecord(q.Name, DnsQuery.A, [127, 0, 0, 1]), new DnsRecord(q.Name, DnsQuery.A, [127, 0, 0, 2]))
            : HostileDnsServer.Plausible(q));
        var details = _session.Run<CertificateDetails>("Get-ServerSpkiHash -HostName tls.example.test -Port $p -StartTls ImplicitTls -Server $s -TimeoutSec 5",
            new Dictionary<string, object?> { ["p"] = tls.Port, ["s"] = dns.Address });
        Assert.Equal(2, details.Count);
        Assert.All(details, d => Assert.Contains("(127.0.0.1)", d.Source, StringComparison.Ordinal));
        Assert.Equal(DaneMatcherTests.Record(3, 1, 1, _pki.Leaf).ToString(), details[0].SuggestedRecord);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("GetServerSpkiHashConnectionRefused,DanePS.Commands.GetServerSpkiHashCommand", error.FullyQualifiedErrorId);
        Assert.Contains("127.0.0.2", error.TargetObject?.ToString(), StringComparison.Ordinal);
        Assert.True(dns.Queries >= 2, "the resolver given with -Server was not asked");
    }

    [Fact]
    public void A_name_the_resolver_does_not_know_is_an_error_and_the_system_resolver_is_never_asked()
    {
        // "localhost" resolves through the system resolver; the given resolver says it does not exist.
        using var dns = HostileDnsServer.Start(q => q.Name.Length == 0 ? HostileDnsServer.Plausible(q) : q.Respond(rcode: 3));
        Assert.Empty(_session.Run<CertificateDetails>("Get-ServerSpkiHash -HostName localhost -Port 9 -Server $s -TimeoutSec 5",
            new Dictionary<string, object?> { ["s"] = dns.Address }));
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("GetServerSpkiHashNameResolution,DanePS.Commands.GetServerSpkiHashCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }
}
