using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Dns;
using DanePS.Tests.Module;
using Xunit;
using Z = DanePS.Tests.Fixtures.Dns.StandardDaneZones;

namespace DanePS.Tests.Dns;

/// <summary>The standard signed, unsigned and bogus zones behind a validating Unbound, started once for the class.</summary>
public sealed class StandardDnsFixture : IAsyncLifetime
{
    public DnsTestEnvironment Env { get; private set; } = null!;

    public string Resolver => $"{Env.ResolverEndPoint.Address}:{Env.ResolverEndPoint.Port}";

    public async Task InitializeAsync() => Env = await DnsTestEnvironment.StartAsync(Z.Create());

    public async Task DisposeAsync() => await Env.DisposeAsync();
}

public class GetTlsaRecordTests : IClassFixture<StandardDnsFixture>, IDisposable
{
    private readonly StandardDnsFixture _dns;
    private readonly ModuleSession _session = new();

    public GetTlsaRecordTests(StandardDnsFixture dns) => _dns = dns;

    public void Dispose() => _session.Dispose();

    private static string Host(string owner) => owner.Substring("_25._tcp.".Length);

    private List<TlsaRecordSet> Get(string args) =>
        _session.Run<TlsaRecordSet>($"Get-TlsaRecord {args} -Server $resolver", new Dictionary<string, object?> { ["resolver"] = _dns.Resolver });

    private static void NeverSecureUnlessAd(IEnumerable<TlsaRecordSet> sets, DnssecStatus expected)
    {
        foreach (var set in sets)
        {
            Assert.Equal(expected, set.DnssecStatus);
            Assert.All(set.Records, r => Assert.Equal(expected, r.DnssecStatus));
        }
    }

    [Fact]
    public void Secure_single_record_with_owner_ttl_status_addresses_and_hex_from_grouped_source()
    {
        var set = Get($"-HostName {Host(Z.SecureSingleTlsa)} -Port 25").Single();
        Assert.Empty(_session.LastErrors);
        Assert.Empty(_session.LastWarnings);
        Assert.Equal(TlsaLookupOutcome.Found, set.Outcome);
        Assert.Equal("_25._tcp.mx1.signed.test.", set.OwnerName);
        NeverSecureUnlessAd(new[] { set }, DnssecStatus.Secure);
        var record = Assert.Single(set.Records);
        Assert.Equal("3 1 1 " + Z.SingleTlsaData, record.ToString());
        Assert.Equal(300, record.Ttl);
        Assert.Equal("_25._tcp.mx1.signed.test.", record.OwnerName);
        Assert.True(set.DaneApplies);
        Assert.Contains(set.Addresses, a => a.Address == "127.0.25.1" && a.DnssecStatus == DnssecStatus.Secure && a.Ttl == 300);
        Assert.Contains(set.Addresses, a => a.Address == IPAddress.IPv6Loopback.ToString() && a.AddressFamily == "IPv6");
        Assert.NotNull(set.SignatureExpiration);
    }

    [Fact]
    public void Secure_multiple_records_keep_their_ttl_and_values()
    {
        var set = Get($"-HostName {Host(Z.SecureMultipleTlsa)}").Single();
        Assert.Equal(Z.MultipleTlsaRecords.OrderBy(x => x), set.Records.Select(r => r.ToString()).OrderBy(x => x));
        Assert.All(set.Records, r => Assert.Equal(3600, r.Ttl));
        Assert.Equal(3600, set.Ttl);
    }

    [Fact]
    public void Insecure_records_are_found_but_never_secure()
    {
        var set = Get($"-HostName {Host(Z.InsecureTlsa)}").Single();
        Assert.Equal(TlsaLookupOutcome.Found, set.Outcome);
        NeverSecureUnlessAd(new[] { set }, DnssecStatus.Insecure);
        Assert.False(set.DaneApplies);
    }

    [Fact]
    public void Bogus_is_an_error_with_the_bogus_set_as_target_and_never_a_secure_record()
    {
        var output = Get($"-HostName {Host(Z.BogusTlsa)}");
        Assert.Empty(output);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("GetTlsaRecordBogus,DanePS.Commands.GetTlsaRecordCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        var set = Assert.IsType<TlsaRecordSet>(error.TargetObject);
        Assert.Equal(DnssecStatus.Bogus, set.DnssecStatus);
        Assert.Equal(DnsFailure.Bogus, set.Failure);
        Assert.DoesNotContain(set.Records, r => r.DnssecStatus == DnssecStatus.Secure);
    }

    [Fact]
    public void Bogus_mx_rrset_is_an_error_too()
    {
        Assert.Empty(Get($"-MailDomain {Z.BogusMxDomain}"));
        Assert.Equal("GetTlsaRecordBogus,DanePS.Commands.GetTlsaRecordCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData(Z.SecureNxDomainTlsa, "NXDOMAIN", DnssecStatus.Secure)]
    [InlineData(Z.SecureNoDataTlsa, "NODATA", DnssecStatus.Secure)]
    [InlineData(Z.Nsec3NxDomainTlsa, "NXDOMAIN", DnssecStatus.Secure)]
    [InlineData(Z.Nsec3NoDataTlsa, "NODATA", DnssecStatus.Secure)]
    [InlineData(Z.InsecureNxDomainTlsa, "NXDOMAIN", DnssecStatus.Insecure)]
    [InlineData(Z.InsecureNoDataTlsa, "NODATA", DnssecStatus.Insecure)]
    public void Trusted_denials_mean_not_published(string owner, string denial, DnssecStatus status)
    {
        var set = Get($"-HostName {Host(owner)}").Single();
        Assert.Empty(_session.LastErrors);
        Assert.Equal(TlsaLookupOutcome.NotPublished, set.Outcome);
        Assert.Equal(denial, set.Denial);
        Assert.Equal(status, set.DnssecStatus);
        Assert.Empty(set.Records);
    }

    [Fact]
    public void A_host_that_does_not_exist_is_a_no_such_domain_error_not_no_records()
    {
        foreach (var host in Z.NonexistentHosts)
        {
            Assert.Empty(Get($"-HostName {host}"));
            var error = Assert.Single(_session.LastErrors);
            Assert.Equal("GetTlsaRecordNoSuchDomain,DanePS.Commands.GetTlsaRecordCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            var set = Assert.IsType<TlsaRecordSet>(error.TargetObject);
            Assert.Equal(DnsFailure.NoSuchDomain, set.Failure);
            Assert.Equal(TlsaLookupOutcome.Failed, set.Outcome);
            Assert.StartsWith($"{host} does not exist (NXDOMAIN, {(host.EndsWith("unsigned.test", StringComparison.Ordinal) ? "Insecure" : "Secure")})", set.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Nsec3_signed_zone_is_secure()
    {
        NeverSecureUnlessAd(Get($"-HostName {Host(Z.Nsec3SecureTlsa)}"), DnssecStatus.Secure);
    }

    [Fact]
    public void Secure_cname_chain_moves_the_tlsa_base_to_the_expanded_name()
    {
        var one = Get($"-HostName {Z.CnameOneHop}").Single();
        Assert.Equal("mx1.signed.test", one.TlsaBaseDomain);
        Assert.Equal(new[] { "mx1.signed.test" }, one.CnameChain);
        Assert.True(one.CnameChainSecure);
        Assert.Equal("3 1 1 " + Z.SingleTlsaData, Assert.Single(one.Records).ToString());
        Assert.Equal("_25._tcp.mx1.signed.test.", one.Records[0].OwnerName);

        var two = Get($"-HostName {Z.CnameTwoHops}").Single();
        Assert.Equal(2, two.CnameChain.Count);
        Assert.Equal("mx2.signed.test", two.TlsaBaseDomain);
        Assert.Equal(3, two.Records.Count);
    }

    [Fact]
    public void Cname_chain_through_an_unsigned_zone_keeps_the_original_name()
    {
        var set = Get($"-HostName {Z.CnameThroughUnsigned}").Single();
        Assert.False(set.CnameChainSecure);
        Assert.Equal(Z.CnameThroughUnsigned, set.TlsaBaseDomain);
        Assert.Equal($"_25._tcp.{Z.CnameThroughUnsigned}.", set.OwnerName);
        Assert.Contains(_session.LastWarnings, w => w.Message.Contains("not secure", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tlsa_owner_that_is_itself_an_alias_reports_where_the_records_came_from()
    {
        var set = Get($"-HostName {Host(Z.TlsaViaCname)}").Single();
        Assert.Equal(3, set.Records.Count);
        Assert.Equal("_25._tcp.mx2.signed.test.", set.OwnerName);
        Assert.Equal(DnssecStatus.Secure, set.DnssecStatus);
    }

    [Fact]
    public void Mail_domain_lists_every_mx_by_preference_with_the_mx_status()
    {
        var sets = Get($"-MailDomain {Z.SecureMxDomain}");
        Assert.Equal(new[] { "mx1.signed.test", "mx2.signed.test", "mx3.signed.test" }, sets.Select(s => s.HostName));
        Assert.Equal(new int?[] { 10, 20, 30 }, sets.Select(s => s.MxPreference));
        Assert.All(sets, s => Assert.Equal(DnssecStatus.Secure, s.MxDnssecStatus));
        Assert.All(sets, s => Assert.Equal(Z.SecureMxDomain, s.MailDomain));
        Assert.All(sets, s => Assert.NotEmpty(s.Addresses));
        Assert.Equal("2 1 1 " + Z.Digest("mx3.signed.test"), Assert.Single(sets[2].Records).ToString());
    }

    [Fact]
    public void Mail_domain_without_mx_falls_back_to_the_domain_itself()
    {
        var set = Get($"-MailDomain {Z.ImplicitMxDomain}").Single();
        Assert.True(set.ImplicitMx);
        Assert.Equal(Z.ImplicitMxDomain, set.HostName);
        Assert.Single(set.Records);
        Assert.True(set.DaneApplies);
    }

    [Fact]
    public void Insecure_mx_rrset_means_dane_does_not_apply()
    {
        var sets = Get($"-MailDomain {Z.InsecureMxDomain}");
        Assert.NotEmpty(sets);
        Assert.All(sets, s => Assert.Equal(DnssecStatus.Insecure, s.MxDnssecStatus));
        Assert.All(sets, s => Assert.False(s.DaneApplies));
        Assert.Contains(_session.LastWarnings, w => w.Message.Contains("RFC 7672 §2.2.1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_large_rrset_comes_over_tcp_when_udp_is_truncated()
    {
        var set = Get($"-HostName {Host(Z.SecureBigTlsa)}").Single();
        Assert.Equal(Z.BigTlsaCount, set.Records.Count);
        Assert.Equal(DnssecStatus.Secure, set.DnssecStatus);
    }

    [Fact]
    public void Expiring_signatures_are_reported_and_warned_about()
    {
        var set = Get($"-HostName {Host(Z.ExpiringTlsa)}").Single();
        Assert.True(set.SignatureExpiration < DateTimeOffset.UtcNow.AddDays(3));
        Assert.Contains(_session.LastWarnings, w => w.Message.Contains("expire on", StringComparison.Ordinal));
        Assert.DoesNotContain(Get($"-HostName {Host(Z.ExpiringTlsa)} -SignatureWarningDays 1").Single().Warnings, w => w.Contains("expire on", StringComparison.Ordinal));
    }

    [Fact]
    public void Authoritative_servers_that_disagree_are_reported()
    {
        var stale = Get($"-HostName {Host(Z.StaleTlsa)} -Authoritative").Single();
        Assert.False(stale.AuthoritativeConsistent);
        Assert.Equal(2, stale.AuthoritativeAnswers.Count);
        Assert.Equal(new long?[] { 1, 2 }, stale.AuthoritativeAnswers.Select(a => a.Serial).OrderBy(s => s));
        Assert.Contains(_session.LastWarnings, w => w.Message.Contains("authoritative servers disagree", StringComparison.Ordinal));

        var good = Get($"-HostName {Host(Z.SecureSingleTlsa)} -Authoritative").Single();
        Assert.True(good.AuthoritativeConsistent);
        Assert.All(good.AuthoritativeAnswers, a => Assert.Equal(new[] { "3 1 1 " + Z.SingleTlsaData }, a.Records));
    }

    [Fact]
    public void Pipeline_input_by_property_name_and_a_bad_target_does_not_stop_the_run()
    {
        var sets = _session.Run<TlsaRecordSet>(
            "@([pscustomobject]@{ HostName = $bogus; Port = 25 }, [pscustomobject]@{ HostName = $good; Port = 25 }) | Get-TlsaRecord -Server $resolver",
            new Dictionary<string, object?> { ["resolver"] = _dns.Resolver, ["bogus"] = Host(Z.BogusTlsa), ["good"] = Host(Z.SecureSingleTlsa) });
        Assert.Equal("mx1.signed.test", Assert.Single(sets).HostName);
        Assert.Single(_session.LastErrors);
    }

    [Fact]
    public void A_resolver_that_does_not_answer_is_a_timeout_never_no_records()
    {
        using var silent = SilentDnsServer.Start();
        var output = _session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName mx1.signed.test -Server $s -DnsTimeoutSec 1 -DnsRetries 0",
            new Dictionary<string, object?> { ["s"] = $"{silent.EndPoint.Address}:{silent.EndPoint.Port}" });
        Assert.Empty(output);
        var error = Assert.Single(_session.LastErrors, e => e.FullyQualifiedErrorId.StartsWith("GetTlsaRecordTimeout,", StringComparison.Ordinal));
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Single(_session.LastErrors, e => e.FullyQualifiedErrorId.StartsWith("GetTlsaRecordResolverNotAnswering,", StringComparison.Ordinal));
        Assert.DoesNotContain(_session.LastWarnings, w => w.Message.Contains("does not validate", StringComparison.Ordinal));
    }

    [Fact]
    public void A_non_validating_resolver_is_warned_about_once_and_nothing_is_secure()
    {
        // The authoritative server answers its own zone without validating: no AD, ever.
        var sets = _session.Run<TlsaRecordSet>("'mx1.signed.test', 'mx2.signed.test' | Get-TlsaRecord -Server $s",
            new Dictionary<string, object?> { ["s"] = _dns.Env.AuthoritativeAddressesOf(Z.SignedZone)[0].ToString() });
        Assert.Equal(2, sets.Count);
        NeverSecureUnlessAd(sets, DnssecStatus.Indeterminate);
        Assert.Single(_session.LastWarnings, w => w.Message.Contains("does not validate", StringComparison.Ordinal));
    }

    [Fact]
    public void A_denial_from_a_non_validating_resolver_is_an_error_not_no_records()
    {
        Assert.Empty(_session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName notlsa.signed.test -Server $s",
            new Dictionary<string, object?> { ["s"] = _dns.Env.AuthoritativeAddressesOf(Z.SignedZone)[0].ToString() }));
        Assert.Equal("GetTlsaRecordIndeterminate,DanePS.Commands.GetTlsaRecordCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_bad_server_argument_is_terminating()
    {
        Assert.DoesNotContain(_session.Run("'a.test', 'b.test' | Get-TlsaRecord -Server 'not-an-ip'; 'after'"), o => o.BaseObject is TlsaRecordSet);
        var error = Assert.Single(_session.LastErrors);
        Assert.StartsWith("GetTlsaRecordInvalidServer,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        var ex = Assert.ThrowsAny<RuntimeException>(() => _session.Run("$ErrorActionPreference = 'Stop'; Get-TlsaRecord -HostName x.test -Server 'not-an-ip'; 'not reached'"));
        Assert.StartsWith("GetTlsaRecordInvalidServer,", ex.ErrorRecord.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_resolvers_are_named_as_such()
    {
        var assessment = new ResolverAssessment(true, new[] { DnsResolverOptions.ParseServer("192.0.2.53"), DnsResolverOptions.ParseServer("[::1]:5353"), DnsResolverOptions.ParseServer("127.0.0.1:53") });
        Assert.Equal(new[] { IPAddress.Parse("192.0.2.53") }, assessment.RemoteServers.Select(s => s.Address));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 5353), DnsResolverOptions.ParseServer("[::1]:5353"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 53), DnsResolverOptions.ParseServer("::1"));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5300), DnsResolverOptions.ParseServer("127.0.0.1:5300"));
        Assert.Throws<FormatException>(() => DnsResolverOptions.ParseServer("127.0.0.1:99999"));
        Assert.Throws<FormatException>(() => DnsResolverOptions.ParseServer("mx.example"));
    }

    [Fact]
    public void Get_TlsaRecord_output_feeds_Test_TlsaRecord_with_the_records_it_read()
    {
        // mx1.signed.test publishes a digest no test certificate has: the chain must fail against it, by name and data.
        var pki = new DanePS.Tests.Fixtures.Pki.MatcherPki();
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "daneps-tt-" + Guid.NewGuid().ToString("N"));
        var chain = DanePS.Tests.Fixtures.Pki.TestPki.WriteChain(dir, "chain.pem", pki.Leaf, pki.Intermediate);
        try
        {
            var result = _session.Run<DanePS.Engine.Matching.DaneMatchResult>("Get-TlsaRecord mx2.signed.test -Server $resolver | Test-TlsaRecord -Path $p",
                new Dictionary<string, object?> { ["resolver"] = _dns.Resolver, ["p"] = chain }).Single();
            Assert.Empty(_session.LastErrors);
            Assert.Equal(3, result.Records.Count);
            Assert.Equal(Z.MultipleTlsaRecords.OrderBy(x => x), result.Records.Select(e => e.Record).OrderBy(x => x));
            Assert.False(result.IsAuthenticated);
            Assert.Equal(new[] { "mx2.signed.test" }, result.ReferenceNames); // HostName bound from the record set
        }
        finally
        {
            System.IO.Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Format_view_renders_record_sets()
    {
        _session.ClearHostOutput();
        _session.Run("Get-TlsaRecord -HostName mx2.signed.test -Server $resolver | Out-Default", new Dictionary<string, object?> { ["resolver"] = _dns.Resolver });
        var text = _session.HostOutput;
        Assert.Contains("_25._tcp.mx2.signed.test.", text, StringComparison.Ordinal);
        Assert.Contains("Secure", text, StringComparison.Ordinal);
        Assert.Contains("3 1 2 ", text, StringComparison.Ordinal);
    }
}
