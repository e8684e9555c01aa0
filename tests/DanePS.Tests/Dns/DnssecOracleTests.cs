using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Dns;
using Xunit;

namespace DanePS.Tests.Dns;

/// <summary>
/// The standard zones and the broken and per-algorithm ones (<see cref="BrokenDnssecZones"/>) behind the validating
/// Unbound, with BIND's delv as an independent validator holding the same root anchor. Started once for the class.
/// </summary>
public sealed class OracleDnsFixture : IAsyncLifetime
{
    public DnsTestEnvironment Env { get; private set; } = null!;

    public DnssecOracle Delv { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Env = await DnsTestEnvironment.StartAsync(BrokenDnssecZones.Create());
        Delv = new DnssecOracle(Env.ResolverEndPoint, Env.TrustAnchor);
    }

    public async Task DisposeAsync()
    {
        Delv?.Dispose();
        if (Env is not null)
        {
            await Env.DisposeAsync();
        }
    }

    /// <summary>Every case of the standard, broken and per-algorithm zones, as theory data (name, type).</summary>
    public static TheoryData<string, string> AllCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in BrokenDnssecZones.AllCases)
        {
            data.Add(c.Name, c.Type);
        }

        return data;
    }

    /// <summary>The TLSA cases (at least one per zone), as theory data.</summary>
    public static TheoryData<string> TlsaCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in BrokenDnssecZones.AllCases.Where(c => c.Type == "TLSA").Select(c => c.Name).Distinct())
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>The TLSA lookup of DanePS for a case name (_port._tcp.host) with these options, as an outcome.</summary>
    public static async Task<(ExpectedDnsOutcome? Outcome, TlsaRecordSet Set, DnssecValidationMode Validation)> LookUpAsync(string tlsaName, DnsResolverOptions options)
    {
        var labels = tlsaName.Split('.', 3);
        var port = int.Parse(labels[0].TrimStart('_'), System.Globalization.CultureInfo.InvariantCulture);
        using var reader = new DaneDnsReader(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var set = await reader.GetTlsaAsync(labels[2], port, labels[1].TrimStart('_'), false, timeout.Token);
        var validation = await reader.GetValidationAsync(timeout.Token);
        return (OutcomeOf(set), set, validation);
    }

    /// <summary>A TLSA lookup's result in the oracle's terms; null when it is none of them (indeterminate).</summary>
    public static ExpectedDnsOutcome? OutcomeOf(TlsaRecordSet set) => (set.Outcome, set.DnssecStatus, set.Denial) switch
    {
        (TlsaLookupOutcome.Found, DnssecStatus.Secure, _) => ExpectedDnsOutcome.Secure,
        (TlsaLookupOutcome.Found, DnssecStatus.Insecure, _) => ExpectedDnsOutcome.Insecure,
        (TlsaLookupOutcome.NotPublished, DnssecStatus.Secure, "NXDOMAIN") => ExpectedDnsOutcome.SecureNxDomain,
        (TlsaLookupOutcome.NotPublished, DnssecStatus.Insecure, "NXDOMAIN") => ExpectedDnsOutcome.InsecureNxDomain,
        (TlsaLookupOutcome.NotPublished, DnssecStatus.Secure, "NODATA") => ExpectedDnsOutcome.SecureNoData,
        (TlsaLookupOutcome.NotPublished, DnssecStatus.Insecure, "NODATA") => ExpectedDnsOutcome.InsecureNoData,
        (_, DnssecStatus.Bogus, _) => ExpectedDnsOutcome.Bogus,
        _ => null,
    };

    public static string Describe(TlsaRecordSet set) =>
        $"DanePS: {set.Outcome}, {set.DnssecStatus}, denial {set.Denial ?? "-"}, {set.Records.Count} record(s), failure {set.Failure?.ToString() ?? "-"}: {set.FailureMessage}";
}

/// <summary>
/// An independent oracle for every zone of the fixture: what delv (BIND) says with the fixture's root anchor equals
/// the outcome each zone is documented to have, and equals what DanePS reports through the validating Unbound
/// (Resolver mode). <see cref="LocalValidationOracleTests"/> holds DanePS's own validator to the same oracle.
/// </summary>
public sealed class DnssecOracleTests : IClassFixture<OracleDnsFixture>
{
    private readonly OracleDnsFixture _dns;

    public DnssecOracleTests(OracleDnsFixture dns) => _dns = dns;

    public static TheoryData<string, string> AllCases() => OracleDnsFixture.AllCases();

    public static TheoryData<string> TlsaCases() => OracleDnsFixture.TlsaCases();

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task Delv_says_what_each_zone_is_documented_to_be(string name, string type)
    {
        var expected = BrokenDnssecZones.AllCases.First(c => c.Name == name && c.Type == type);
        var verdict = await _dns.Delv.ValidateAsync(name, type);
        Assert.True(expected.Outcome == verdict.Outcome, $"{expected} ({expected.Meaning}); delv says {verdict}");
    }

    [Theory]
    [MemberData(nameof(TlsaCases))]
    public async Task DanePS_in_resolver_mode_gives_the_status_delv_gives(string name)
    {
        var verdict = await _dns.Delv.ValidateAsync(name, "TLSA");
        var options = new DnsResolverOptions { Validation = DnssecValidationMode.Resolver, Servers = { _dns.Env.ResolverEndPoint } };
        var (outcome, set, validation) = await OracleDnsFixture.LookUpAsync(name, options);
        Assert.True(verdict.Outcome == outcome, $"{name}: {OracleDnsFixture.Describe(set)}; delv says {verdict}");
        Assert.Equal(DnssecValidationMode.Resolver, validation);
    }

    /// <summary>Unbound's words (val-log-level 2) for why each broken zone is bogus: one reason per zone.</summary>
    public static TheoryData<DnssecDefect, string> DefectReasons() => new()
    {
        { DnssecDefect.ExpiredSignatures, "signature expired" },
        { DnssecDefect.NotYetValidSignatures, "signature before inception date" },
        { DnssecDefect.WrongSignerName, "no signatures" }, // Unbound drops RRSIGs whose signer is not the zone, then has none
        { DnssecDefect.DsMatchesNoKey, "DS hash mismatches key" },
        { DnssecDefect.RevokedKey, "no keys have a DS" }, // the DS names the key as it was before the REVOKE bit
        { DnssecDefect.Nsec3ChainGap, "nameerror proof failed" },
        { DnssecDefect.NsecNotCovering, "nameerror proof failed" },
        { DnssecDefect.SignatureOverChangedData, "signature crypto failed" },
        { DnssecDefect.StrippedSignature, "no signatures" },
        { DnssecDefect.AlgorithmDowngrade, "signatures from unknown keys" },
    };

    [Theory]
    [MemberData(nameof(DefectReasons))]
    public async Task Each_broken_zone_is_bogus_for_its_own_reason(DnssecDefect defect, string reason)
    {
        var zone = BrokenDnssecZones.ZoneOf[defect];
        var name = BrokenDnssecZones.Cases.Single(c => c.Outcome == ExpectedDnsOutcome.Bogus && c.Name.EndsWith("." + zone, StringComparison.Ordinal)).Name;
        var answer = await Dig.QueryAsync(_dns.Env.ResolverEndPoint, name, "TLSA", "+dnssec");
        Assert.Equal("SERVFAIL", answer.Status);
        var failures = _dns.Env.ResolverLog.Split('\n').Where(l => l.Contains("validation failure", StringComparison.Ordinal) && l.Contains(zone + ".", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Any(l => l.Contains(reason, StringComparison.Ordinal)), $"{zone}: expected '{reason}' in:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public void Every_zone_has_a_TLSA_case()
    {
        var zones = _dns.Env.Zones.Select(z => z.Name).ToList();
        var covered = BrokenDnssecZones.AllCases.Where(c => c.Type == "TLSA").Select(c => c.Name).ToList();
        Assert.All(zones, zone => Assert.Contains(covered, name => name.EndsWith("." + zone, StringComparison.Ordinal)));
        Assert.Equal(BrokenDnssecZones.ZoneNames.Count(), _dns.Env.Zones.Count(z => BrokenDnssecZones.ZoneNames.Contains(z.Name)));
    }

    [Fact]
    public void The_anchor_file_names_DS_and_DNSKEY_anchors_as_BIND_reads_them()
    {
        var text = DnssecOracle.TrustAnchorsStatement([". 3600 IN DS 20326 8 2 E06D44B8 0B8F1D39", ". IN DNSKEY 257 3 13 ( AbC= dEf= )"]);
        Assert.Contains("\".\" static-ds 20326 8 2 \"E06D44B80B8F1D39\";", text, StringComparison.Ordinal);
        Assert.Contains("\".\" static-key 257 3 13 \"AbC=dEf=\";", text, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DnssecOracle.TrustAnchorsStatement(["not a record"]));
    }
}
