using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Matching;
using DanePS.Engine.Tls;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Checking;

/// <summary>
/// Findings that never mislead: no removal advice about what was not compared, DNSSEC status honoured by Test-TlsaRecord,
/// a host that does not exist said as such, and domain results that own every finding they show.
/// </summary>
[Collection("EndpointWorld")]
public class FindingsTests : IDisposable
{
    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();

    public FindingsTests(EndpointWorld world) => _world = world;

    public void Dispose() => _session.Dispose();

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] extra) => _world.Variables(extra);

    private List<DaneEndpointResult> Check(string host) =>
        _session.Run<DaneEndpointResult>($"Test-DaneEndpoint -HostName {host} -Server $resolver -TimeoutSec 5", Vars());

    private DaneMailDomainResult CheckDomain(string domain, string extra = "") =>
        _session.Run<DaneMailDomainResult>($"Test-DaneMailDomain -MailDomain {domain} -Server $resolver -TimeoutSec 5 {extra}", Vars()).Single();

    private X509Certificate2[] EcdsaChain => new[] { _world.LeafEcdsa.Certificate, _world.Intermediate.Certificate };

    // ---- No "stale, remove it" about a server that did not answer ----

    [Fact]
    public void A_record_for_an_address_that_did_not_answer_is_not_called_stale_and_no_removal_is_advised()
    {
        // halfup: one address with Postfix, one with nothing listening; the second record may be the silent server's.
        var results = Check("halfup.dane.test");
        Assert.Equal(2, results.Count);
        Assert.Equal(DaneVerdict.Pass, results.Single(r => r.Address == _world.Main.Endpoint.Address.ToString()).Verdict);
        Assert.Equal(DaneVerdict.Unreachable, results.Single(r => r.Address == _world.RefusedAddress.ToString()).Verdict);
        foreach (var r in results)
        {
            Assert.DoesNotContain(r.Findings, f => f.Code is DaneFindingCode.StaleRecord or DaneFindingCode.RolloverInProgress);
            Assert.DoesNotContain(r.Findings, f => f.Message.Contains("Remove", StringComparison.OrdinalIgnoreCase));
            var note = Assert.Single(r.Findings, f => f.Code == DaneFindingCode.NotCompared);
            Assert.Equal(FindingSeverity.Information, note.Severity);
            Assert.Contains("not compared: 1 of 2 addresses unreachable", note.Message, StringComparison.Ordinal);
            Assert.Contains(_world.RefusedAddress.ToString(), note.Message, StringComparison.Ordinal);
            Assert.Contains(EndpointWorld.Ee311(_world.StaleLeaf)[..12], note.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(_session.LastWarnings, w => w.Message.Contains("Remove it", StringComparison.Ordinal));
    }

    [Fact]
    public void The_correct_record_of_a_server_that_is_down_gets_no_removal_advice()
    {
        var r = Check("refused.dane.test").Single();
        Assert.Equal(DaneVerdict.Unreachable, r.Verdict);
        Assert.DoesNotContain(r.Findings, f => f.Code == DaneFindingCode.StaleRecord);
        Assert.Contains(r.Findings, f => f.Code == DaneFindingCode.NotCompared && f.Message.Contains("not compared: 1 of 1 address unreachable", StringComparison.Ordinal));
        Assert.DoesNotContain(_session.LastWarnings, w => w.Message.Contains("Remove it", StringComparison.Ordinal));
    }

    [Fact]
    public void A_record_no_answering_address_matches_is_still_stale_when_every_address_answered()
    {
        // roundrobin: both addresses answer; the record matches one of them, so nothing is stale.
        Assert.All(Check("roundrobin.dane.test"), r => Assert.DoesNotContain(r.Findings, f => f.Code is DaneFindingCode.StaleRecord or DaneFindingCode.NotCompared));

        // dualold: every key type of the one address answered, none matches the old record: stale, with removal advice.
        var stale = Check("dualold.dane.test");
        Assert.All(stale, r => Assert.Contains(r.Findings, f => f.Code == DaneFindingCode.StaleRecord && f.Message.Contains("Remove it", StringComparison.Ordinal)));
        Assert.All(stale, r => Assert.DoesNotContain(r.Findings, f => f.Code == DaneFindingCode.NotCompared));
    }

    [Fact]
    public void A_mail_domain_whose_mx_has_an_address_down_gets_no_stale_advice()
    {
        var d = CheckDomain("downmail.test");
        Assert.Equal(DaneVerdict.Unreachable, d.Verdict);
        var all = d.Findings.Concat(d.Endpoints.SelectMany(e => e.Findings)).ToList();
        Assert.DoesNotContain(all, f => f.Code is DaneFindingCode.StaleRecord or DaneFindingCode.RolloverInProgress);
        Assert.Single(d.Findings, f => f.Code == DaneFindingCode.NotCompared && f.Message.Contains("1 of 2 addresses unreachable", StringComparison.Ordinal));
        Assert.DoesNotContain(_session.LastWarnings, w => w.Message.Contains("Remove it", StringComparison.Ordinal));
    }

    // ---- Test-TlsaRecord respects DNSSEC ----

    [Fact]
    public void Test_TlsaRecord_on_insecure_records_computes_the_match_but_says_dane_does_not_apply()
    {
        var m = _session.Run<DaneMatchResult>("Get-TlsaRecord mx.plain.test -Server $resolver | Test-TlsaRecord -Certificate $chain", Vars(("chain", EcdsaChain))).Single();
        Assert.Empty(_session.LastErrors);
        Assert.Equal(DaneMatchOutcome.Authenticated, m.Outcome); // the match is still computed
        Assert.False(m.IsAuthenticated);
        Assert.Contains("Insecure", m.Summary, StringComparison.Ordinal);
        Assert.Contains("DANE does not apply", m.Summary, StringComparison.Ordinal);
        Assert.Equal("NotDane", _session.Run<string>("(Get-TlsaRecord mx.plain.test -Server $resolver | Test-TlsaRecord -Certificate $chain).Verdict.ToString()", Vars(("chain", EcdsaChain))).Single());
        Assert.Equal("Insecure", _session.Run<string>("(Get-TlsaRecord mx.plain.test -Server $resolver | Test-TlsaRecord -Certificate $chain).DnssecStatus.ToString()", Vars(("chain", EcdsaChain))).Single());

        // Test-DaneEndpoint judges the same records the same way.
        Assert.Equal(DaneVerdict.NotDane, Check("mx.plain.test").Single().Verdict);
    }

    [Fact]
    public void Test_TlsaRecord_on_indeterminate_or_bogus_records_says_they_cannot_be_trusted()
    {
        // The authoritative server answers without validating: every record is Indeterminate.
        var auth = _world.Dns.AuthoritativeAddressesOf("dane.test")[0].ToString();
        var m = _session.Run<DaneMatchResult>("Get-TlsaRecord single.dane.test -Server $auth -WarningAction SilentlyContinue | Test-TlsaRecord -Certificate $chain",
            Vars(("chain", EcdsaChain), ("auth", auth))).Single();
        Assert.Equal(DaneMatchOutcome.Authenticated, m.Outcome);
        Assert.False(m.IsAuthenticated);
        Assert.Contains("Indeterminate", m.Summary, StringComparison.Ordinal);
        Assert.Contains("cannot be trusted", m.Summary, StringComparison.Ordinal);

        var bogus = _session.Run<DaneMatchResult>(
            "$r = [DanePS.Engine.Tlsa.DnsTlsaRecord]::new([DanePS.Engine.Tlsa.TlsaRecord]::Parse($text), 'single.dane.test', 25); $r.DnssecStatus = 'Bogus'; $r | Test-TlsaRecord -Certificate $chain",
            Vars(("chain", EcdsaChain), ("text", EndpointWorld.Ee311(_world.LeafEcdsa)))).Single();
        Assert.False(bogus.IsAuthenticated);
        Assert.Contains("Bogus", bogus.Summary, StringComparison.Ordinal);
        Assert.Contains("cannot be trusted", bogus.Summary, StringComparison.Ordinal);
        Assert.Equal("DnssecFailure", _session.Run<string>("$r | Test-TlsaRecord -Certificate $chain | ForEach-Object { $_.Verdict.ToString() }", Vars(("chain", EcdsaChain))).Single());
    }

    [Fact]
    public void Test_TlsaRecord_on_secure_records_or_records_given_as_text_is_a_plain_pass()
    {
        var secure = _session.Run<DaneMatchResult>("Get-TlsaRecord single.dane.test -Server $resolver | Test-TlsaRecord -Certificate $chain", Vars(("chain", EcdsaChain))).Single();
        Assert.True(secure.IsAuthenticated);
        Assert.DoesNotContain("DANE does not apply", secure.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be trusted", secure.Summary, StringComparison.Ordinal);
        var text = _session.Run<DaneMatchResult>("Test-TlsaRecord -Certificate $chain -TlsaRecord $text", Vars(("chain", EcdsaChain), ("text", EndpointWorld.Ee311(_world.LeafEcdsa)))).Single();
        Assert.True(text.IsAuthenticated);
        Assert.Equal(new[] { "Pass", "Pass" }, _session.Run<string>(
            "(Get-TlsaRecord single.dane.test -Server $resolver | Test-TlsaRecord -Certificate $chain).Verdict.ToString(); (Test-TlsaRecord -Certificate $chain -TlsaRecord $text).Verdict.ToString()",
            Vars(("chain", EcdsaChain), ("text", EndpointWorld.Ee311(_world.LeafEcdsa)))));
    }

    // ---- A host that does not exist is not "no TLSA" ----

    [Fact]
    public void Test_DaneEndpoint_on_a_host_that_does_not_exist_is_a_no_such_domain_error_not_not_dane()
    {
        Assert.Empty(Check("nosuch.dane.test"));
        var error = Assert.Single(_session.LastErrors);
        Assert.StartsWith("TestDaneEndpointNoSuchDomain,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        var target = Assert.IsType<DaneEndpointResult>(error.TargetObject);
        Assert.Equal("NoSuchHost", target.Verdict.ToString());
        Assert.Contains("nosuch.dane.test does not exist (NXDOMAIN, Secure)", target.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("TLSA", error.Exception.Message, StringComparison.Ordinal);

        // In an unsigned zone too; an alias to nowhere says so; the run goes on; -Quiet answers $false.
        Assert.Empty(Check("nosuch.plain.test"));
        Assert.StartsWith("TestDaneEndpointNoSuchDomain,", Assert.Single(_session.LastErrors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(Check("ghostalias.dane.test"));
        Assert.Contains("alias of nowhere.dane.test, which does not exist", Assert.Single(_session.LastErrors).Exception.Message, StringComparison.Ordinal);
        var mixed = _session.Run<DaneEndpointResult>("'nosuch.dane.test', 'single.dane.test' | Test-DaneEndpoint -Server $resolver -TimeoutSec 5", Vars());
        Assert.Equal(DaneVerdict.Pass, Assert.Single(mixed).Verdict);
        Assert.Single(_session.LastErrors);
        Assert.Equal(new[] { false, true }, _session.Run<bool>("'nosuch.dane.test', 'single.dane.test' | Test-DaneEndpoint -Server $resolver -Quiet", Vars()));
    }

    [Fact]
    public void Get_TlsaRecord_on_a_host_that_does_not_exist_is_a_no_such_domain_error_and_so_is_the_set_piped_onward()
    {
        foreach (var host in new[] { "nosuch.dane.test", "nosuch.plain.test" })
        {
            Assert.Empty(_session.Run<TlsaRecordSet>($"Get-TlsaRecord {host} -Server $resolver", Vars()));
            var error = Assert.Single(_session.LastErrors);
            Assert.StartsWith("GetTlsaRecordNoSuchDomain,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            var set = Assert.IsType<TlsaRecordSet>(error.TargetObject);
            Assert.Equal(DnsFailure.NoSuchDomain, set.Failure);
            Assert.Contains($"{host} does not exist", set.FailureMessage, StringComparison.Ordinal);
        }

        // The set, piped onward, is still a host that does not exist: never NotDane.
        Assert.Empty(_session.Run<DaneEndpointResult>(
            "Get-TlsaRecord nosuch.dane.test -Server $resolver -ErrorVariable e -ErrorAction SilentlyContinue; $e[0].TargetObject | Test-DaneEndpoint -Server $resolver", Vars()));
        Assert.StartsWith("TestDaneEndpointNoSuchDomain,", Assert.Single(_session.LastErrors).FullyQualifiedErrorId, StringComparison.Ordinal);

        // A name that exists without TLSA stays "no TLSA".
        Assert.Equal(TlsaLookupOutcome.NotPublished, _session.Run<TlsaRecordSet>("Get-TlsaRecord notlsa.dane.test -Server $resolver", Vars()).Single().Outcome);
        Assert.Empty(_session.LastErrors);

        // An MX host that does not exist: an error for it, the other MX host's set as usual.
        var sets = _session.Run<TlsaRecordSet>("Get-TlsaRecord -MailDomain ghostmail.test -Server $resolver", Vars());
        Assert.Equal("single.dane.test", Assert.Single(sets).HostName);
        Assert.Equal("ghost.dane.test", Assert.IsType<TlsaRecordSet>(Assert.Single(_session.LastErrors).TargetObject).HostName);
    }

    [Fact]
    public void An_mx_host_that_does_not_exist_is_named_as_such_in_the_domain_result()
    {
        var d = CheckDomain("ghostmail.test");
        var ghost = d.Endpoints.Single(e => e.HostName == "ghost.dane.test");
        Assert.Equal("NoSuchHost", ghost.Verdict.ToString());
        Assert.Contains("does not exist", ghost.Summary, StringComparison.Ordinal);
        Assert.Equal(DaneVerdict.Pass, d.Endpoints.Single(e => e.HostName == "single.dane.test").Verdict);
        Assert.Equal("NoSuchHost", d.Verdict.ToString());
        Assert.Contains("ghost.dane.test", d.Summary, StringComparison.Ordinal);
        Assert.Contains(d.Findings, f => f.Code == DaneFindingCode.MxHostNotFound && f.Message.Contains("ghost.dane.test", StringComparison.Ordinal));
        Assert.DoesNotContain(d.Findings, f => f.Code == DaneFindingCode.MxHostWithoutDane);
    }

    // ---- Domain results own their findings ----

    [Fact]
    public void A_domain_result_holds_every_endpoint_finding_once_each_naming_host_port_and_address()
    {
        var d = CheckDomain("junkmail.test", "-ExpiryWarningDays 120");
        var endpointFindings = d.Endpoints.SelectMany(e => e.Findings).Distinct().ToList();
        Assert.NotEmpty(endpointFindings);
        Assert.All(endpointFindings, f => Assert.Contains(f, d.Findings));
        Assert.Equal(d.Findings.Count, d.Findings.Distinct().Count());

        // By PowerShell, as a user would: every finding names its host and port; what one handshake saw, its address too.
        var vars = Vars(("d", d));
        Assert.Equal(0, _session.Run<int>("@($d.Findings | Where-Object { -not $_.HostName -or -not $_.Port }).Count", vars).Single());
        Assert.Equal(0, _session.Run<int>("@($d.Findings | Where-Object Code -eq CertificateExpiring | Where-Object { -not $_.Address -or -not $_.PublicKey }).Count", vars).Single());
        Assert.Equal(3, _session.Run<int>("@($d.Findings | Where-Object Code -eq CertificateExpiring).Count", vars).Single()); // junk's ECDSA leaf; dual's ECDSA and RSA leaves
        Assert.Equal(new[] { "junk.dane.test" }, _session.Run<string>("$d.Findings | Where-Object Code -eq TooManyRecords | ForEach-Object HostName", vars));
        Assert.Equal(new[] { "junk.dane.test", "junk.dane.test" }, _session.Run<string>("$d.Findings | Where-Object Code -eq StaleRecord | ForEach-Object HostName", vars));
        // What Select-Object -ExpandProperty Findings | Group-Object Code does (no Utility module in the hosted runspace).
        var codes = _session.Run<DaneFinding>("Test-DaneMailDomain junkmail.test -Server $resolver -ExpiryWarningDays 120 -WarningAction SilentlyContinue | ForEach-Object -MemberName Findings", vars)
            .GroupBy(f => f.Code).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, codes[DaneFindingCode.TooManyRecords]);
        Assert.Equal(2, codes[DaneFindingCode.StaleRecord]);
        Assert.Equal(3, codes[DaneFindingCode.CertificateExpiring]);
    }

    [Fact]
    public void A_domain_finding_shared_by_addresses_is_listed_once_and_warned_once()
    {
        var d = CheckDomain("junkmail.test");
        Assert.Single(d.Findings, f => f.Code == DaneFindingCode.TooManyRecords);
        Assert.Single(_session.LastWarnings, w => w.Message.Contains("publishes 3 TLSA records", StringComparison.Ordinal));
        Assert.Contains(_session.LastWarnings, w => w.Message.StartsWith("junk.dane.test:25: ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_domain_view_shows_the_findings_the_object_has_and_nothing_else()
    {
        var d = CheckDomain("junkmail.test");
        _session.ClearHostOutput();
        _session.Run("$d | Out-Default", Vars(("d", d)));
        Assert.Contains("junk.dane.test:25 TooManyRecords:", _session.HostOutput, StringComparison.Ordinal);

        var bare = new DaneMailDomainResult(d.MailDomain) { Verdict = d.Verdict, Summary = d.Summary, MxHosts = d.MxHosts, Endpoints = d.Endpoints };
        _session.ClearHostOutput();
        _session.Run("$d | Out-Default", Vars(("d", bare)));
        Assert.Contains("junkmail.test", _session.HostOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("TooManyRecords", _session.HostOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("StaleRecord", _session.HostOutput, StringComparison.Ordinal);
    }
}
