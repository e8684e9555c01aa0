using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using DanePS.Engine.Checking;
using DanePS.Engine.TlsRpt;
using DanePS.Engine.Matching;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Checking;

[CollectionDefinition("EndpointWorld")]
public sealed class EndpointWorldGroup : ICollectionFixture<EndpointWorld>
{
}

[Collection("EndpointWorld")]
public class TestDaneEndpointTests : IDisposable
{
    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();

    public TestDaneEndpointTests(EndpointWorld world) => _world = world;

    public void Dispose() => _session.Dispose();

    private List<DaneEndpointResult> Check(string host, int port = 25, string extra = "") =>
        _session.Run<DaneEndpointResult>($"Test-DaneEndpoint -HostName {host} -Port {port} -Server $resolver {(extra.Contains("-TimeoutSec", StringComparison.Ordinal) ? string.Empty : "-TimeoutSec 5")} {extra}",
            new Dictionary<string, object?> { ["resolver"] = _world.Resolver });

    private static bool HasFinding(DaneEndpointResult r, string code) => r.Findings.Any(f => f.Code.ToString() == code);

    [Fact]
    public void Single_matching_record_passes_over_smtp_starttls_with_the_match_described()
    {
        var r = Check("single.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, r.Verdict);
        Assert.Equal(StartTlsProtocol.Smtp, r.StartTls);
        Assert.Equal(_world.Main.Endpoint.Address.ToString(), r.Address);
        Assert.Equal(0, r.MatchedDepth);
        Assert.Equal(EndpointWorld.Ee311(_world.LeafEcdsa), r.MatchedRecord);
        Assert.Contains("matched EE public key at depth 0", r.Summary, StringComparison.Ordinal);
        Assert.Equal(2, r.PresentedChain.Count);
        Assert.StartsWith("2 1 1 ", r.PresentedChain[1].SuggestedRecord, StringComparison.Ordinal);
        Assert.StartsWith("EC", r.PublicKey, StringComparison.Ordinal);
        Assert.NotNull(r.TlsVersion);
        Assert.False(r.PlatformTrusted); // a private test CA: reported, and it does not decide the verdict
        Assert.Empty(r.GetWarnings());
        Assert.True(r.HandshakeMs > 0);
    }

    [Fact]
    public void Matching_plus_junk_passes_with_warnings_about_the_count_and_stale_records()
    {
        var r = Check("junk.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, r.Verdict);
        Assert.True(HasFinding(r, "TooManyRecords"));
        Assert.Equal(2, r.Findings.Count(f => f.Code == DaneFindingCode.StaleRecord));
        Assert.Contains(_session.LastWarnings, w => w.Message.Contains("matches nothing", StringComparison.Ordinal));
        Assert.False(HasFinding(Check("junk.dane.test", extra: "-MaxRecords 3").Single(), "TooManyRecords"));
    }

    [Fact]
    public void Only_junk_fails_and_says_which_record_the_server_needs()
    {
        var r = Check("onlyjunk.dane.test").Single();
        Assert.Equal(DaneVerdict.Fail, r.Verdict);
        // The summary names the record shortened (it never wraps mid-hash); the whole record is in PresentedChain.
        Assert.Contains(TlsaRecord.Parse(EndpointWorld.Ee311(_world.LeafEcdsa)).ToShortString(), r.Summary, StringComparison.Ordinal);
        Assert.Equal(EndpointWorld.Ee311(_world.LeafEcdsa), r.PresentedChain[0].SuggestedRecord);
        Assert.Equal(TlsaRecordOutcome.NoMatch, Assert.Single(r.Records).Outcome);
    }

    [Fact]
    public void Current_plus_next_key_passes_and_notes_a_rollover_not_a_stale_record()
    {
        var r = Check("rollover.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, r.Verdict);
        var note = Assert.Single(r.Findings, f => f.Code == DaneFindingCode.RolloverInProgress);
        Assert.Equal(FindingSeverity.Information, note.Severity);
        Assert.False(HasFinding(r, "StaleRecord"));
    }

    [Fact]
    public void Ee_plus_issuer_ta_is_a_rollover_but_ee_and_ta_for_the_same_certificate_is_not()
    {
        var eeta = Check("eeta.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, eeta.Verdict);
        Assert.True(HasFinding(eeta, "RolloverInProgress"));

        var same = Check("sameeeta.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, same.Verdict);
        Assert.False(HasFinding(same, "RolloverInProgress"));
    }

    [Fact]
    public void DaneTa_passes_when_the_intermediate_is_sent_and_fails_with_a_reason_when_it_is_not()
    {
        var ta = Check("ta.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, ta.Verdict);
        Assert.Equal(1, ta.MatchedDepth);

        var noChain = Check("tanochain.dane.test").Single();
        Assert.Equal(DaneVerdict.Fail, noChain.Verdict);
        Assert.True(HasFinding(noChain, "TrustAnchorNotSent"));
        Assert.Single(noChain.PresentedChain);
    }

    [Fact]
    public void DaneTa_certificate_published_in_full_authenticates_a_chain_without_it()
    {
        var r = Check("tafull.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, r.Verdict);
        Assert.Equal(1, r.MatchedDepth);
        Assert.True(HasFinding(r, "FullDataRecord"));
    }

    [Fact]
    public void Full_certificate_and_sha512_records_pass()
    {
        var full = Check("full.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, full.Verdict);
        Assert.True(HasFinding(full, "FullDataRecord"));
        var sha512 = Check("sha512.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, sha512.Verdict);
        Assert.Equal(TlsaMatchingType.Sha512, TlsaRecord.Parse(sha512.MatchedRecord!).MatchingType);
    }

    [Fact]
    public void A_dual_certificate_server_is_checked_for_each_key_type()
    {
        var results = Check("dual.dane.test");
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(DaneVerdict.Pass, r.Verdict));
        Assert.Contains(results, r => r.PublicKey!.StartsWith("RSA", StringComparison.Ordinal));
        Assert.Contains(results, r => r.PublicKey!.StartsWith("EC", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stale_ecdsa_record_does_not_hide_behind_a_good_rsa_one()
    {
        var results = Check("dualstale.dane.test");
        Assert.Equal(DaneVerdict.Fail, results.Single(r => r.PublicKey!.StartsWith("EC", StringComparison.Ordinal)).Verdict);
        Assert.Equal(DaneVerdict.Pass, results.Single(r => r.PublicKey!.StartsWith("RSA", StringComparison.Ordinal)).Verdict);
        Assert.False(_session.Run<bool>("Test-DaneEndpoint dualstale.dane.test -Server $resolver -Quiet", new Dictionary<string, object?> { ["resolver"] = _world.Resolver }).Single());
    }

    [Fact]
    public void An_old_ecdsa_record_next_to_a_good_rsa_one_is_stale_not_a_rollover_when_the_ecdsa_endpoint_fails()
    {
        var results = Check("dualold.dane.test");
        Assert.Equal(DaneVerdict.Fail, results.Single(r => r.PublicKey!.StartsWith("EC", StringComparison.Ordinal)).Verdict);
        Assert.All(results, r => Assert.DoesNotContain(r.Findings, f => f.Code == DaneFindingCode.RolloverInProgress));
        Assert.All(results, r => Assert.Contains(r.Findings, f => f.Code == DaneFindingCode.StaleRecord));
    }

    [Fact]
    public void Pkix_usages_on_smtp_are_flagged_and_alone_mean_not_dane()
    {
        var mixed = Check("pkix.dane.test").Single();
        Assert.Equal(DaneVerdict.Pass, mixed.Verdict);
        Assert.Contains(mixed.Findings, f => f.Code == DaneFindingCode.PkixUsageOnSmtp);
        var only = Check("pkixonly.dane.test").Single();
        Assert.Equal(DaneVerdict.NotDane, only.Verdict);
        Assert.Contains(only.Findings, f => f.Code == DaneFindingCode.NoUsableRecords);
    }

    [Fact]
    public void A_leaf_expiring_within_the_warning_window_is_flagged()
    {
        Assert.DoesNotContain(Check("single.dane.test").Single().Findings, f => f.Code == DaneFindingCode.CertificateExpiring);
        var soon = Check("single.dane.test", extra: "-ExpiryWarningDays 120").Single();
        Assert.Equal(DaneVerdict.Pass, soon.Verdict);
        Assert.Contains(soon.Findings, f => f.Code == DaneFindingCode.CertificateExpiring && f.Message.Contains("leaf", StringComparison.Ordinal));
    }

    [Fact]
    public void SingleHandshake_sees_only_the_certificate_the_server_prefers()
    {
        Assert.Single(Check("dual.dane.test", extra: "-SingleHandshake"));
    }

    [Fact]
    public void One_stale_backend_behind_a_round_robin_name_gets_its_own_failing_result()
    {
        var results = Check("roundrobin.dane.test");
        Assert.Equal(2, results.Count);
        Assert.Equal(DaneVerdict.Pass, results.Single(r => r.Address == _world.Main.Endpoint.Address.ToString()).Verdict);
        Assert.Equal(DaneVerdict.Fail, results.Single(r => r.Address == _world.StaleBackend.Endpoint.Address.ToString()).Verdict);
    }

    [Fact]
    public void An_address_that_refuses_connections_is_unreachable()
    {
        var r = Check("refused.dane.test").Single();
        Assert.Equal(DaneVerdict.Unreachable, r.Verdict);
        Assert.Equal(TlsProbeFailure.ConnectionRefused, r.ConnectionFailure);
    }

    [Fact]
    public void Implicit_tls_on_ipv4_and_ipv6_passes()
    {
        var web = Check("web.dane.test", _world.WebEndpoint.Port).Single();
        Assert.Equal(DaneVerdict.Pass, web.Verdict);
        Assert.Equal(StartTlsProtocol.ImplicitTls, web.StartTls);
        var v6 = Check("v6.dane.test", _world.Ipv6Endpoint.Port).Single();
        Assert.Equal(DaneVerdict.Pass, v6.Verdict);
        Assert.Equal("IPv6", v6.AddressFamily);
        Assert.Equal(IPAddress.IPv6Loopback.ToString(), v6.Address);
    }

    [Fact]
    public void Imap_starttls_and_pop3_stls_pass()
    {
        var imap = Check("imap.dane.test", _world.Dovecot.ImapEndpoint!.Port, "-StartTls Imap").Single();
        Assert.Equal(DaneVerdict.Pass, imap.Verdict);
        Assert.Equal(StartTlsProtocol.Imap, imap.StartTls);
        var pop3 = Check("imap.dane.test", _world.Dovecot.Pop3Endpoint!.Port, "-StartTls Pop3").Single();
        Assert.Equal(DaneVerdict.Pass, pop3.Verdict);
    }

    [Fact]
    public void No_tlsa_insecure_and_bogus_zones_give_not_dane_and_dnssec_failure()
    {
        Assert.Equal(DaneVerdict.NotDane, Check("notlsa.dane.test").Single().Verdict);
        var insecure = Check("mx.plain.test").Single();
        Assert.Equal(DaneVerdict.NotDane, insecure.Verdict);
        Assert.Contains("Insecure", insecure.Summary, StringComparison.Ordinal);
        var bogus = Check("mx.broken.test");
        Assert.All(bogus, r => Assert.Equal(DaneVerdict.DnssecFailure, r.Verdict));
        Assert.NotEmpty(bogus);
    }

    [Theory]
    [InlineData(HostileBehavior.Silent, TlsProbeFailure.Timeout)]
    [InlineData(HostileBehavior.Drip, TlsProbeFailure.Timeout)]
    [InlineData(HostileBehavior.Garbage, TlsProbeFailure.ProtocolError)]
    [InlineData(HostileBehavior.HttpResponse, TlsProbeFailure.ProtocolError)]
    [InlineData(HostileBehavior.NoStartTls, TlsProbeFailure.StartTlsNotOffered)]
    [InlineData(HostileBehavior.StartTlsRefused, TlsProbeFailure.StartTlsRefused)]
    [InlineData(HostileBehavior.HandshakeDrop, TlsProbeFailure.HandshakeFailed)]
    [InlineData(HostileBehavior.EndlessGreeting, TlsProbeFailure.ResponseTooLarge)]
    [InlineData(HostileBehavior.LongLine, TlsProbeFailure.ResponseTooLarge)]
    public void Hostile_servers_get_a_specific_failure_not_a_hang(HostileBehavior behavior, TlsProbeFailure expected)
    {
        var server = _world.Hostile[behavior];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Check($"{behavior.ToString().ToLowerInvariant()}.dane.test", server.Endpoint.Port, "-StartTls Smtp -TimeoutSec 3").Single();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Equal(DaneVerdict.Unreachable, r.Verdict);
        Assert.Equal(expected, r.ConnectionFailure);
        Assert.False(string.IsNullOrEmpty(r.Summary));
    }

    [Fact]
    public void Get_TlsaRecord_output_and_objects_with_host_and_port_feed_the_check()
    {
        var vars = new Dictionary<string, object?> { ["resolver"] = _world.Resolver };
        var piped = _session.Run<DaneEndpointResult>("Get-TlsaRecord -HostName single.dane.test -Server $resolver | Test-DaneEndpoint -Server $resolver", vars);
        Assert.Equal(DaneVerdict.Pass, Assert.Single(piped).Verdict);

        // The piped record set is used as it is, MX context included: an insecure MX RRset means NotDane.
        var viaMx = _session.Run<DaneEndpointResult>("Get-TlsaRecord -MailDomain plain.test -Server $resolver -WarningAction SilentlyContinue | Test-DaneEndpoint -Server $resolver", vars);
        Assert.Equal("plain.test", Assert.Single(viaMx).MailDomain);
        Assert.Equal(DaneVerdict.NotDane, viaMx[0].Verdict);

        var objects = _session.Run<DaneEndpointResult>(
            "@([pscustomobject]@{ HostName = 'single.dane.test'; Port = 25 }, [pscustomobject]@{ HostName = 'onlyjunk.dane.test'; Port = 25 }) | Test-DaneEndpoint -Server $resolver -ThrottleLimit 2", vars);
        Assert.Equal(new[] { DaneVerdict.Pass, DaneVerdict.Fail }, objects.Select(o => o.Verdict).OrderBy(v => v));
    }

    [Fact]
    public void Quiet_returns_one_boolean_per_target()
    {
        var result = _session.Run<bool>("'refused.dane.test', 'onlyjunk.dane.test', 'single.dane.test', 'ta.dane.test' | Test-DaneEndpoint -Server $resolver -Quiet -ThrottleLimit 4",
            new Dictionary<string, object?> { ["resolver"] = _world.Resolver });
        Assert.Equal(new[] { false, false, true, true }, result); // in input order, whatever finishes first
    }

    [Fact]
    public void Many_targets_run_concurrently_and_every_result_comes_back()
    {
        var hosts = string.Join(", ", Enumerable.Repeat("'single.dane.test'", 12).Concat(Enumerable.Repeat("'ta.dane.test'", 12)));
        var results = _session.Run<DaneEndpointResult>($"{hosts} | Test-DaneEndpoint -Server $resolver -ThrottleLimit 8 -SingleHandshake",
            new Dictionary<string, object?> { ["resolver"] = _world.Resolver });
        Assert.Equal(24, results.Count);
        Assert.All(results, r => Assert.Equal(DaneVerdict.Pass, r.Verdict));
    }

    [Fact]
    public void Format_view_renders_endpoint_results()
    {
        _session.ClearHostOutput();
        _session.Run("Test-DaneEndpoint junk.dane.test -Server $resolver -WarningAction SilentlyContinue | Out-Default", new Dictionary<string, object?> { ["resolver"] = _world.Resolver });
        var text = _session.HostOutput;
        Assert.Contains("junk.dane.test", text, StringComparison.Ordinal);
        Assert.Contains("Pass", text, StringComparison.Ordinal);
        Assert.Contains("warning", text, StringComparison.Ordinal);
    }
}

[Collection("EndpointWorld")]
public class TestDaneMailDomainTests : IDisposable
{
    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();

    public TestDaneMailDomainTests(EndpointWorld world) => _world = world;

    public void Dispose() => _session.Dispose();

    private DaneMailDomainResult Check(string domain) =>
        _session.Run<DaneMailDomainResult>($"Test-DaneMailDomain -MailDomain {domain} -Server $resolver -TimeoutSec 5", new Dictionary<string, object?> { ["resolver"] = _world.Resolver }).Single();

    [Fact]
    public void Every_mx_and_every_key_type_pass_for_a_good_domain()
    {
        var d = Check("goodmail.test");
        Assert.Equal(DaneVerdict.Pass, d.Verdict);
        Assert.Equal(new[] { "single.dane.test", "dual.dane.test" }, d.MxHosts);
        Assert.Equal(3, d.Endpoints.Count); // single: ECDSA only; dual: ECDSA and RSA
        Assert.Equal(3, d.PassedCount);
        Assert.All(d.Endpoints, e => Assert.Equal("goodmail.test", e.MailDomain));
    }

    [Fact]
    public void One_good_and_one_stale_mx_fails_and_names_the_stale_one()
    {
        var d = Check("mixedmail.test");
        Assert.Equal(DaneVerdict.Fail, d.Verdict);
        Assert.Contains("stalemx.dane.test", d.Summary, StringComparison.Ordinal);
        Assert.Equal(DaneVerdict.Pass, d.Endpoints.Single(e => e.HostName == "single.dane.test").Verdict);
    }

    [Fact]
    public void An_mx_without_tlsa_next_to_a_dane_one_passes_with_a_warning()
    {
        var d = Check("halfmail.test");
        Assert.Equal(DaneVerdict.Pass, d.Verdict);
        Assert.Contains(d.Findings, f => f.Code == DaneFindingCode.MxHostWithoutDane);
    }

    [Fact]
    public void A_dane_domain_with_a_tls_rpt_record_shows_it_and_has_no_tls_rpt_finding()
    {
        var d = Check("goodmail.test");
        Assert.Equal(TlsRptRecordStatus.Valid, d.TlsRptStatus);
        Assert.Equal("v=TLSRPTv1; rua=mailto:tls-reports@goodmail.test", d.TlsRptRecord);
        Assert.Equal("mailto:tls-reports@goodmail.test", Assert.Single(d.TlsRptRua));
        Assert.DoesNotContain(d.Findings, f => f.Code == DaneFindingCode.TlsRptMissing);
    }

    [Theory]
    [InlineData("noreportmail.test", TlsRptRecordStatus.NotPublished)]
    [InlineData("tworeportsmail.test", TlsRptRecordStatus.Multiple)]
    [InlineData("badreportmail.test", TlsRptRecordStatus.Malformed)]
    public void A_dane_domain_without_one_valid_tls_rpt_record_passes_with_a_tls_rpt_warning(string domain, TlsRptRecordStatus status)
    {
        var d = Check(domain);
        Assert.Equal(DaneVerdict.Pass, d.Verdict);
        Assert.Equal(status, d.TlsRptStatus);
        var finding = Assert.Single(d.Findings, f => f.Code == DaneFindingCode.TlsRptMissing);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("_smtp._tls." + domain, finding.Message, StringComparison.Ordinal);
        Assert.Equal(domain, finding.HostName);
        Assert.Contains(_session.LastWarnings, w => w.Message.Contains("_smtp._tls." + domain, StringComparison.Ordinal));
    }

    [Fact]
    public void A_domain_that_is_not_dane_gets_no_tls_rpt_warning()
    {
        var d = Check("plain.test");
        Assert.Equal(TlsRptRecordStatus.NotPublished, d.TlsRptStatus);
        Assert.DoesNotContain(d.Findings, f => f.Code == DaneFindingCode.TlsRptMissing);
    }

    [Fact]
    public void An_insecure_mx_rrset_means_not_dane()
    {
        Assert.Equal(DaneVerdict.NotDane, Check("plain.test").Verdict);
    }

    [Fact]
    public void A_domain_that_does_not_exist_is_an_error_and_quiet_gives_false()
    {
        var vars = new Dictionary<string, object?> { ["resolver"] = _world.Resolver };
        Assert.Empty(_session.Run<DaneMailDomainResult>("Test-DaneMailDomain nosuch.dane.test -Server $resolver", vars));
        var error = Assert.Single(_session.LastErrors);
        Assert.StartsWith("TestDaneMailDomainNoSuchDomain,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(new[] { true, false }, _session.Run<bool>("'goodmail.test', 'mixedmail.test' | Test-DaneMailDomain -Server $resolver -Quiet", vars));
    }
}
