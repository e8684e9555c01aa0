using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Dns;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Dns;

/// <summary>
/// Resolvers that do not answer, and resolvers that answer with something other than an answer: every cmdlet that
/// looks anything up ends within the DNS deadline and says what went wrong, with a DanePS ErrorId, never a raw
/// library exception and never a denial.
/// </summary>
public class ResolverFailureTests : IDisposable
{
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    private static Dictionary<string, object?> Vars(string server) => new() { ["s"] = server };

    private static string Of(SilentDnsServer s) => $"{s.EndPoint.Address}:{s.EndPoint.Port}";

    [Fact]
    public void Test_DaneEndpoint_with_a_resolver_that_does_not_answer_ends_within_the_dns_deadline_and_says_it_did_not_answer()
    {
        using var silent = SilentDnsServer.Start();
        var clock = Stopwatch.StartNew();
        var results = _session.Run<DaneEndpointResult>("Test-DaneEndpoint mx.example.test -Server $s -DnsTimeoutSec 1 -DnsRetries 1", Vars(Of(silent)));
        clock.Stop();

        // The deadline is 2 s (1 s × 2 attempts), once: the assessment and the A, AAAA and TLSA queries wait together.
        // One after another they would take 8 s; the margin is for a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("TestDaneEndpointResolverNotAnswering,DanePS.Commands.TestDaneEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("did not answer", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_session.LastWarnings, w => w.Message.Contains("does not validate", StringComparison.Ordinal));
        var r = Assert.Single(results);
        Assert.Equal(DaneVerdict.DnssecFailure, r.Verdict);
    }

    [Fact]
    public void Many_targets_against_a_resolver_that_does_not_answer_still_end_within_one_dns_deadline()
    {
        using var silent = SilentDnsServer.Start();
        var clock = Stopwatch.StartNew();
        var results = _session.Run<DaneMailDomainResult>(
            "'a.example.test', 'b.example.test', 'c.example.test', 'd.example.test' | Test-DaneMailDomain -Server $s -DnsTimeoutSec 2 -DnsRetries 1 -ThrottleLimit 2",
            Vars(Of(silent)));
        clock.Stop();

        // One deadline (2 s × 2 attempts) for the whole run: two throttled batches each waiting it out would take 8 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6.5), $"took {clock.Elapsed}");
        Assert.Equal(4, results.Count);
        Assert.All(results, d => Assert.Equal(DaneVerdict.DnssecFailure, d.Verdict));
        Assert.Equal("TestDaneMailDomainResolverNotAnswering,DanePS.Commands.TestDaneMailDomainCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_TlsaRecord_with_a_resolver_that_does_not_answer_is_a_timeout_and_says_the_resolver_did_not_answer()
    {
        using var silent = SilentDnsServer.Start();
        var clock = Stopwatch.StartNew();
        Assert.Empty(_session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName mx1.signed.test -Server $s -DnsTimeoutSec 1 -DnsRetries 0", Vars(Of(silent))));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        var ids = _session.LastErrors.Select(e => e.FullyQualifiedErrorId).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Contains("GetTlsaRecordTimeout,DanePS.Commands.GetTlsaRecordCommand", ids);
        Assert.Contains("GetTlsaRecordResolverNotAnswering,DanePS.Commands.GetTlsaRecordCommand", ids);
        Assert.Equal(ErrorCategory.OperationTimeout, _session.LastErrors.Single(e => e.FullyQualifiedErrorId.StartsWith("GetTlsaRecordTimeout", StringComparison.Ordinal)).CategoryInfo.Category);
        Assert.DoesNotContain(_session.LastWarnings, w => w.Message.Contains("does not validate", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resolver_that_answers_but_does_not_validate_is_told_apart_from_one_that_does_not_answer()
    {
        using var server = HostileDnsServer.Start(q => HostileDnsServer.Plausible(q, validating: false));
        var sets = _session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName mx.example.test -Server $s -DnsTimeoutSec 1", Vars(server.Address));
        Assert.Empty(sets); // a NODATA with AD from a resolver that does not validate is no denial

        // Auto validates locally through a resolver that does not; this one answers without EDNS, so without any
        // DNSSEC record: a specific error, not a guess.
        Assert.Equal("GetTlsaRecordResolverRemovesDnssec,DanePS.Commands.GetTlsaRecordCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
        // The error says what to do; a warning that the resolver does not validate would be beside the point, since
        // DanePS, not the resolver's AD bit, was to decide.
        Assert.DoesNotContain(_session.LastWarnings, w => w.Message.Contains("does not validate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HostileDnsAnswer.TlsaRdataTwoBytes, false, "MalformedResponse")]
    [InlineData(HostileDnsAnswer.TlsaRdataTwoBytes, true, "MalformedResponse")]
    [InlineData(HostileDnsAnswer.RdlengthPastEnd, false, "MalformedResponse")]
    [InlineData(HostileDnsAnswer.RdlengthPastEnd, true, "MalformedResponse")]
    [InlineData(HostileDnsAnswer.RandomBytes, false, "MalformedResponse")]
    [InlineData(HostileDnsAnswer.RandomBytes, true, "MalformedResponse")]
    [InlineData(HostileDnsAnswer.WrongMessageId, false, "MismatchedResponse")]
    [InlineData(HostileDnsAnswer.WrongMessageId, true, "MismatchedResponse")]
    [InlineData(HostileDnsAnswer.OtherQuestion, false, "MismatchedResponse")]
    [InlineData(HostileDnsAnswer.OtherQuestion, true, "MismatchedResponse")]
    [InlineData(HostileDnsAnswer.ARecordForTlsa, false, "MalformedResponse")]
    [InlineData(HostileDnsAnswer.ARecordForTlsa, true, "MalformedResponse")]
    [InlineData(HostileDnsAnswer.AdWithoutValidation, false, "ResolverRemovesDnssec")]
    [InlineData(HostileDnsAnswer.AdWithoutValidation, true, "ResolverRemovesDnssec")]
    public void Hostile_dns_answers_are_specific_errors_with_an_indeterminate_status_never_a_denial(HostileDnsAnswer behavior, bool tcpOnly, string failure)
    {
        using var server = HostileDnsServer.Start(behavior);
        var sets = _session.Run<TlsaRecordSet>($"Get-TlsaRecord -HostName mx.example.test -Server $s -DnsTimeoutSec 2 -DnsRetries 0 {(tcpOnly ? "-DnsTcpOnly" : string.Empty)}",
            Vars(server.Address));
        Assert.Empty(sets);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal($"GetTlsaRecord{failure},DanePS.Commands.GetTlsaRecordCommand", error.FullyQualifiedErrorId);
        Assert.Equal(failure switch { "Indeterminate" => ErrorCategory.InvalidResult, "ResolverRemovesDnssec" => ErrorCategory.NotImplemented, _ => ErrorCategory.InvalidData }, error.CategoryInfo.Category);
        Assert.IsType<DnsLookupException>(error.Exception);
        var set = Assert.IsType<TlsaRecordSet>(error.TargetObject);
        Assert.Equal(TlsaLookupOutcome.Failed, set.Outcome);
        Assert.Equal(DnssecStatus.Indeterminate, set.DnssecStatus);
        Assert.Equal(Enum.Parse<DnsFailure>(failure), set.Failure);
        Assert.Empty(set.Records);
    }

    [Theory]
    [InlineData(HostileDnsAnswer.TlsaRdataTwoBytes)]
    [InlineData(HostileDnsAnswer.RdlengthPastEnd)]
    [InlineData(HostileDnsAnswer.RandomBytes)]
    [InlineData(HostileDnsAnswer.WrongMessageId)]
    [InlineData(HostileDnsAnswer.OtherQuestion)]
    [InlineData(HostileDnsAnswer.ARecordForTlsa)]
    [InlineData(HostileDnsAnswer.AdWithoutValidation)]
    public void Hostile_dns_answers_make_an_endpoint_a_dnssec_failure_never_not_dane_nor_a_failed_check(HostileDnsAnswer behavior)
    {
        using var server = HostileDnsServer.Start(behavior);
        var r = Assert.Single(_session.Run<DaneEndpointResult>("Test-DaneEndpoint mx.example.test -Port 9 -Server $s -DnsTimeoutSec 2 -DnsRetries 0 -TimeoutSec 2 -WarningAction SilentlyContinue",
            Vars(server.Address)));
        Assert.Empty(_session.LastErrors);
        Assert.Equal(DaneVerdict.DnssecFailure, r.Verdict);
        Assert.Equal(DnssecStatus.Indeterminate, r.TlsaDnssecStatus);
    }

    [Fact]
    public void Hostile_answers_to_address_queries_are_dns_failures_too()
    {
        using var server = HostileDnsServer.Start(q => q.Type == DnsQuery.A ? HostileDnsServer.Hostile(q, HostileDnsAnswer.RandomBytes) : HostileDnsServer.Plausible(q));
        var set = Assert.Single(_session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName mx.example.test -Server $s -DnsRetries 0 -WarningAction SilentlyContinue", Vars(server.Address)));
        Assert.Equal(DnsFailure.MalformedResponse, set.AddressFailure);
        Assert.Empty(_session.LastErrors);
        var r = Assert.Single(_session.Run<DaneEndpointResult>("Test-DaneEndpoint mx.example.test -Server $s -DnsRetries 0 -WarningAction SilentlyContinue", Vars(server.Address)));
        Assert.Equal(DaneVerdict.DnssecFailure, r.Verdict);
    }
}

/// <summary>Lookups that can run at once do: per host A, AAAA and TLSA, per domain every MX host, and the resolver assessment beside them.</summary>
public class ConcurrentLookupTests : IDisposable
{
    // Long enough that the concurrent and the sequential timings stay far apart on a loaded machine.
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public void A_hosts_a_aaaa_and_tlsa_queries_and_the_resolver_assessment_go_out_together()
    {
        // Every answer takes a delay: one after the other, the probe, A, AAAA and TLSA would take four of them.
        using var slow = HostileDnsServer.Start(q => HostileDnsServer.Plausible(q), delay: Delay);
        var clock = Stopwatch.StartNew();
        var set = Assert.Single(_session.Run<TlsaRecordSet>("Get-TlsaRecord mx.example.test -Server $s -DnsTimeoutSec 10", new Dictionary<string, object?> { ["s"] = slow.Address }));
        clock.Stop();
        Assert.Equal(TlsaLookupOutcome.NotPublished, set.Outcome);
        Assert.Equal(DnssecStatus.Secure, set.DnssecStatus);
        Assert.True(clock.Elapsed < 2.2 * Delay, $"took {clock.Elapsed}");
        Assert.Equal(4, slow.Queries);
    }

    [Fact]
    public void The_mx_hosts_of_a_domain_are_read_and_checked_together()
    {
        using var slow = HostileDnsServer.Start(q => q.Type == DnsQuery.Mx
            ? q.Respond(0, true, new[] { "mx1", "mx2", "mx3" }.Select((h, i) => new DnsRecord(q.Name, DnsQuery.Mx, [0, (byte)(10 * (i + 1)), .. DnsQuery.EncodeName(h + ".example.test")])).ToArray())
            : HostileDnsServer.Plausible(q), delay: Delay);
        var clock = Stopwatch.StartNew();
        var d = Assert.Single(_session.Run<DaneMailDomainResult>("Test-DaneMailDomain example.test -Server $s -DnsTimeoutSec 10 -WarningAction SilentlyContinue", new Dictionary<string, object?> { ["s"] = slow.Address }));
        clock.Stop();
        Assert.Equal(new[] { "mx1.example.test", "mx2.example.test", "mx3.example.test" }, d.MxHosts);
        Assert.Equal(DaneVerdict.NotDane, d.Verdict);

        // The MX RRset, then the three hosts at once: two rounds, where one host after the other would take four.
        Assert.True(clock.Elapsed < 3.2 * Delay, $"took {clock.Elapsed}");
    }
}
