using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Checking;

/// <summary>
/// Names given to the checking cmdlets are checked before anything goes on the wire: each bad one is an
/// InvalidArgument error that says what is wrong with it, and the good ones next to it are still checked.
/// </summary>
[Collection("EndpointWorld")]
public class HostNameInputTests : IDisposable
{
    // Each bad name, and a word the error message must hold so the user knows what to fix.
    public static readonly TheoryData<string, string> BadNames = new()
    {
        { "https://single.dane.test/", "URL" },
        { "single.dane.test:25", "-Port 25" },
        { "192.0.2.25", "DANE needs a host name" },
        { "2001:db8::25", "DANE needs a host name" },
        { "_25._tcp.single.dane.test", "(single.dane.test)" },
        { "single..dane.test", "empty label" },
        { new string('x', 64) + ".dane.test", "63" },
        { string.Join(".", Enumerable.Repeat(new string('x', 60), 5)), "253" },
        { "single dane.test", "a space" },
        { "single_1.dane.test", "an underscore" },
    };

    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();

    public HostNameInputTests(EndpointWorld world) => _world = world;

    public void Dispose() => _session.Dispose();

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] extra) => _world.Variables(extra);

    [Fact]
    public void TestDaneEndpoint_gives_one_invalid_argument_error_per_bad_name_and_checks_the_good_ones()
    {
        var bad = BadNames.Select(row => (string)row[0]).ToArray();
        var names = bad.Take(5).Append("  SINGLE.Dane.Test.  ").Concat(bad.Skip(5)).ToArray();
        var results = _session.Run<DaneEndpointResult>("Test-DaneEndpoint -HostName $names -Server $resolver -TimeoutSec 5", Vars(("names", names)));

        var result = Assert.Single(results);
        Assert.Equal("single.dane.test", result.HostName); // trimmed, case-folded, without the trailing dot
        Assert.Equal(DaneVerdict.Pass, result.Verdict);
        AssertOneErrorPerBadName("TestDaneEndpointInvalidHostName,DanePS.Commands.TestDaneEndpointCommand");
    }

    [Fact]
    public void TestDaneEndpoint_takes_an_array_of_host_names_and_quiet_keeps_input_order_with_bad_names_false()
    {
        var results = _session.Run<DaneEndpointResult>("Test-DaneEndpoint -HostName single.dane.test, ta.dane.test -Server $resolver -TimeoutSec 5", Vars());
        Assert.Empty(_session.LastErrors);
        Assert.Equal(new[] { "single.dane.test", "ta.dane.test" }, results.Select(r => r.HostName).Distinct().OrderBy(n => n, StringComparer.Ordinal));

        var quiet = _session.Run<bool>("Test-DaneEndpoint -HostName 'onlyjunk.dane.test', 'https://single.dane.test/', 'single.dane.test' -Server $resolver -TimeoutSec 5 -Quiet", Vars());
        Assert.Equal(new[] { false, false, true }, quiet);
        Assert.Equal("TestDaneEndpointInvalidHostName,DanePS.Commands.TestDaneEndpointCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void TestDaneEndpoint_looks_up_and_connects_to_an_internationalised_name_by_its_A_label_and_shows_both_forms()
    {
        var result = _session.Run<DaneEndpointResult>("Test-DaneEndpoint -HostName 'Bücher.dane.test' -Server $resolver -TimeoutSec 5", Vars()).Single();
        Assert.Empty(_session.LastErrors);
        Assert.Equal(DaneVerdict.Pass, result.Verdict);
        Assert.Equal("xn--bcher-kva.dane.test", result.HostName);
        Assert.Equal("bücher.dane.test", result.UnicodeHostName);

        _session.ClearHostOutput();
        _session.Run("Test-DaneEndpoint -HostName 'bücher.dane.test' -Server $resolver -TimeoutSec 5 | Out-Default", Vars());
        Assert.Contains("bücher.dane.test (xn--bcher-kva.dane.test)", _session.HostOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TestDaneMailDomain_gives_one_invalid_argument_error_per_bad_domain_and_checks_the_good_ones()
    {
        var domains = new[] { "postmaster@goodmail.test", "GoodMail.Test.", "https://goodmail.test/", "_25._tcp.goodmail.test" };
        var results = _session.Run<DaneMailDomainResult>("Test-DaneMailDomain -MailDomain $d -Server $resolver -TimeoutSec 5", Vars(("d", domains)));
        var result = Assert.Single(results);
        Assert.Equal("goodmail.test", result.MailDomain);
        Assert.Equal(DaneVerdict.Pass, result.Verdict);
        Assert.Equal(3, _session.LastErrors.Count);
        Assert.All(_session.LastErrors, e =>
        {
            Assert.Equal("TestDaneMailDomainInvalidDomain,DanePS.Commands.TestDaneMailDomainCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        });
        // The checks run concurrently and each error is written as its check ends, so their order is not the input's.
        Assert.Equal(new[] { domains[0], domains[2], domains[3] }.Order(StringComparer.Ordinal), _session.LastErrors.Select(e => (string)e.TargetObject).Order(StringComparer.Ordinal));
        Assert.Contains("'@'", _session.LastErrors.Single(e => (string)e.TargetObject == domains[0]).Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetTlsaRecord_gives_one_invalid_argument_error_per_bad_name_and_reads_the_good_ones()
    {
        var bad = BadNames.Select(row => (string)row[0]).ToArray();
        var names = bad.Take(3).Append("single.dane.test.").Concat(bad.Skip(3)).Append("Bücher.DANE.test").ToArray();
        var sets = _session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName $names -Server $resolver", Vars(("names", names)));
        Assert.Equal(new[] { "single.dane.test", "xn--bcher-kva.dane.test" }, sets.Select(s => s.HostName));
        Assert.Equal("_25._tcp.xn--bcher-kva.dane.test.", sets[1].OwnerName);
        Assert.Equal("bücher.dane.test", sets[1].UnicodeHostName);
        Assert.Equal(TlsaLookupOutcome.Found, sets[1].Outcome);
        AssertOneErrorPerBadName("GetTlsaRecordInvalidHostName,DanePS.Commands.GetTlsaRecordCommand");

        var piped = _session.Run<TlsaRecordSet>("'mx.example.com:25', 'single.dane.test' | Get-TlsaRecord -Server $resolver", Vars());
        Assert.Equal("single.dane.test", Assert.Single(piped).HostName);
        Assert.Equal("GetTlsaRecordInvalidHostName,DanePS.Commands.GetTlsaRecordCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);

        Assert.Empty(_session.Run<TlsaRecordSet>("Get-TlsaRecord -MailDomain 'user@goodmail.test' -Server $resolver", Vars()));
        Assert.Equal("GetTlsaRecordInvalidDomain,DanePS.Commands.GetTlsaRecordCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
    }

    private void AssertOneErrorPerBadName(string fullyQualifiedErrorId)
    {
        var expected = BadNames.Select(row => ((string)row[0], (string)row[1])).ToList();
        Assert.Equal(expected.Count, _session.LastErrors.Count);
        foreach (var (name, hint) in expected)
        {
            var error = Assert.Single(_session.LastErrors, e => Equals(e.TargetObject, name));
            Assert.Equal(fullyQualifiedErrorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(hint, error.Exception.Message, StringComparison.Ordinal);
        }
    }
}
