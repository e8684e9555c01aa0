using System;
using System.Linq;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Tests.Fixtures.Dns;
using Xunit;

namespace DanePS.Tests.Dns;

/// <summary>
/// DanePS's own DNSSEC validator (Validation = Local, the fixture's root DS as the only trust anchor) against the
/// same oracle as <see cref="DnssecOracleTests"/>: for every zone of the fixture, standard, broken on purpose and
/// per algorithm, the TLSA status equals what delv (BIND) says. The resolver asked is the validating Unbound; local
/// validation sets CD, so Unbound's own verdict plays no part. With an anchor that matches no root key, Unbound still
/// says Secure while delv and a validator that really validates locally say Bogus: that is what shows the validation
/// is DanePS's own.
/// </summary>
public sealed class LocalValidationOracleTests : IClassFixture<OracleDnsFixture>
{
    private readonly OracleDnsFixture _dns;

    public LocalValidationOracleTests(OracleDnsFixture dns) => _dns = dns;

    public static TheoryData<string> TlsaCases() => OracleDnsFixture.TlsaCases();

    [Theory]
    [MemberData(nameof(TlsaCases))]
    public async Task DanePS_validating_locally_gives_the_status_delv_gives(string name)
    {
        var verdict = await _dns.Delv.ValidateAsync(name, "TLSA");
        var options = new DnsResolverOptions { Validation = DnssecValidationMode.Local, Servers = { _dns.Env.ResolverEndPoint }, TrustAnchors = { _dns.Env.TrustAnchor } };
        var (outcome, set, validation) = await OracleDnsFixture.LookUpAsync(name, options);
        Assert.Equal(DnssecValidationMode.Local, validation);
        Assert.True(verdict.Outcome == outcome, $"{name}: {OracleDnsFixture.Describe(set)}; delv says {verdict}");
    }

    public static TheoryData<string> SecureTlsaCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in BrokenDnssecZones.AllCases.Where(c => c.Type == "TLSA" && c.Outcome is ExpectedDnsOutcome.Secure or ExpectedDnsOutcome.SecureNxDomain or ExpectedDnsOutcome.SecureNoData).Select(c => c.Name).Distinct())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SecureTlsaCases))]
    public async Task With_an_anchor_that_matches_no_root_key_nothing_is_secure_and_DanePS_agrees_with_delv(string name)
    {
        // The fixture's root DS with its digest changed: it names the root KSK and matches no key.
        var anchor = _dns.Env.TrustAnchor[..^1] + (_dns.Env.TrustAnchor[^1] == '0' ? "1" : "0");
        using var delv = new DnssecOracle(_dns.Env.ResolverEndPoint, anchor);
        var verdict = await delv.ValidateAsync(name, "TLSA");
        Assert.Equal(ExpectedDnsOutcome.Bogus, verdict.Outcome);
        var options = new DnsResolverOptions { Validation = DnssecValidationMode.Local, Servers = { _dns.Env.ResolverEndPoint }, TrustAnchors = { anchor } };
        var (outcome, set, _) = await OracleDnsFixture.LookUpAsync(name, options);
        Assert.True(outcome == ExpectedDnsOutcome.Bogus, $"{name} with a root anchor that matches no key: {OracleDnsFixture.Describe(set)}; delv says {verdict}");
    }

    [Theory]
    [MemberData(nameof(TlsaCases))]
    public async Task DanePS_validating_locally_from_the_root_DNSKEY_gives_the_status_delv_gives(string name)
    {
        var verdict = await _dns.Delv.ValidateAsync(name, "TLSA");
        var options = new DnsResolverOptions { Validation = DnssecValidationMode.Local, Servers = { _dns.Env.ResolverEndPoint }, TrustAnchors = { _dns.Env.RootDnskey } };
        var (outcome, set, _) = await OracleDnsFixture.LookUpAsync(name, options);
        Assert.True(verdict.Outcome == outcome, $"{name}: {OracleDnsFixture.Describe(set)}; delv says {verdict}");
    }
}
