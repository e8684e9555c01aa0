using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>What a validating resolver should answer for a name, from the DANE client's point of view.</summary>
public enum ExpectedDnsOutcome
{
    /// <summary>NOERROR with data, AD set.</summary>
    Secure,

    /// <summary>NOERROR with data, no AD (an unsigned zone, or a CNAME chain through one).</summary>
    Insecure,

    /// <summary>SERVFAIL; with CD set, NOERROR with the data and no AD.</summary>
    Bogus,

    /// <summary>NXDOMAIN, AD set (NSEC or NSEC3 proof).</summary>
    SecureNxDomain,

    /// <summary>NXDOMAIN, no AD.</summary>
    InsecureNxDomain,

    /// <summary>NOERROR, no record of the type, AD set.</summary>
    SecureNoData,

    /// <summary>NOERROR, no record of the type, no AD.</summary>
    InsecureNoData,
}

/// <summary>
/// One name of <see cref="StandardDaneZones"/> and what the resolver answers for it.
/// </summary>
/// <param name="Name">Query name (no trailing dot).</param>
/// <param name="Type">Query type, e.g. "TLSA".</param>
/// <param name="Outcome">Rcode and AD the resolver gives.</param>
/// <param name="RecordCount">Records of <paramref name="Type"/> in the answer (0 for negative answers).</param>
/// <param name="Ttl">TTL of those records as written in the zone, when the case is about it.</param>
/// <param name="OwnerName">Owner of those records when it differs from <paramref name="Name"/> (the end of a CNAME chain).</param>
/// <param name="Meaning">Why the case exists.</param>
public sealed record DaneDnsCase(string Name, string Type, ExpectedDnsOutcome Outcome, int RecordCount, int? Ttl, string? OwnerName, string Meaning)
{
    public override string ToString() => $"{Name} {Type} → {Outcome}";
}

/// <summary>
/// The standard zones for tests of a DNS reader (Get-TlsaRecord): every DANE-relevant DNS situation, in six zones.
/// <see cref="Create"/> returns a fresh setup each time, so a test class may add zones or records before the start.
/// <para>Map of names → outcomes (all TLSA data are arbitrary valid hex; <see cref="Cases"/> has the full list):</para>
/// <code>
/// _25._tcp.mx1.signed.test            TLSA  Secure, 1 record, TTL 300 (source split "3 1 1 ( 5E79.. 1E5D.. )" over two lines)
/// _25._tcp.mx2.signed.test            TLSA  Secure, 3 records, TTL 3600
/// _25._tcp.big.signed.test            TLSA  Secure, 40 records (> 1232 bytes: TC over UDP, all over TCP)
/// _25._tcp.notlsa.signed.test         TLSA  NXDOMAIN, secure (NSEC)       (notlsa.signed.test has an A)
/// _25._tcp.nodata.signed.test         TLSA  NODATA, secure (NSEC)         (the name has a TXT)
/// _25._tcp.mx1.signed-nsec3.test      TLSA  Secure, 1 record (NSEC3 zone)
/// _25._tcp.nxdomain.signed-nsec3.test TLSA  NXDOMAIN, secure (NSEC3)
/// _25._tcp.nodata.signed-nsec3.test   TLSA  NODATA, secure (NSEC3)
/// _25._tcp.mx1.unsigned.test          TLSA  Insecure, 1 record
/// _25._tcp.notlsa.unsigned.test       TLSA  NXDOMAIN, insecure
/// _25._tcp.nodata.unsigned.test       TLSA  NODATA, insecure
/// _25._tcp.mx1.bogus.test             TLSA  Bogus: SERVFAIL; with CD 1 record
/// _25._tcp.mx1.expiring.test          TLSA  Secure, signatures expire in 2 days
/// _25._tcp.mx1.stale.test             TLSA  Secure; ns1 (serial 2) and ns2 (serial 1) serve different TLSA data
/// _25._tcp.tlsa-alias.signed.test     TLSA  Secure via CNAME to _25._tcp.mx2.signed.test (3 records)
/// signed.test                         MX    Secure: 10 mx1, 20 mx2, 30 mx3 (each with A, AAAA, TLSA)
/// nomx.signed.test                    MX    NODATA, secure → implicit MX: A, AAAA and TLSA at nomx.signed.test
/// unsigned.test                       MX    Insecure: 10 mx1.unsigned.test
/// bogus.test                          MX    Bogus
/// cname1.signed.test                  A     Secure, CNAME → mx1.signed.test (1 hop); TLSA at _25._tcp.mx1.signed.test
/// cname2.signed.test                  A     Secure, CNAME → host.signed-nsec3.test → mx2.signed.test (2 hops, 2 zones)
/// cname-insecure.signed.test          A     Insecure, CNAME → alias.unsigned.test → mx1.signed.test (through unsigned)
/// mx1.signed.test                     A/AAAA Secure, TTL 300 (127.0.25.1 / ::1); mx2: TTL 3600
/// </code>
/// Resolver clients: the resolver truncates UDP answers above 1232 bytes, so a client must allow TCP fallback.
/// </summary>
public static class StandardDaneZones
{
    public const string SignedZone = "signed.test";
    public const string Nsec3Zone = "signed-nsec3.test";
    public const string UnsignedZone = "unsigned.test";
    public const string BogusZone = "bogus.test";
    public const string ExpiringZone = "expiring.test";
    public const string StaleZone = "stale.test";

    public const string SecureSingleTlsa = "_25._tcp.mx1.signed.test";
    public const string SecureMultipleTlsa = "_25._tcp.mx2.signed.test";
    public const string SecureBigTlsa = "_25._tcp.big.signed.test";
    public const string SecureNxDomainTlsa = "_25._tcp.notlsa.signed.test";
    public const string SecureNoDataTlsa = "_25._tcp.nodata.signed.test";
    public const string Nsec3SecureTlsa = "_25._tcp.mx1.signed-nsec3.test";
    public const string Nsec3NxDomainTlsa = "_25._tcp.notlsa.signed-nsec3.test";

    /// <summary>Host names that do not exist (NXDOMAIN for the name itself): signed with NSEC, with NSEC3, and unsigned.</summary>
    public static readonly IReadOnlyList<string> NonexistentHosts = ["nosuch.signed.test", "nxdomain.signed-nsec3.test", "nosuch.unsigned.test"];
    public const string Nsec3NoDataTlsa = "_25._tcp.nodata.signed-nsec3.test";
    public const string InsecureTlsa = "_25._tcp.mx1.unsigned.test";
    public const string InsecureNxDomainTlsa = "_25._tcp.notlsa.unsigned.test";
    public const string InsecureNoDataTlsa = "_25._tcp.nodata.unsigned.test";
    public const string BogusTlsa = "_25._tcp.mx1.bogus.test";
    public const string ExpiringTlsa = "_25._tcp.mx1.expiring.test";
    public const string StaleTlsa = "_25._tcp.mx1.stale.test";
    public const string TlsaViaCname = "_25._tcp.tlsa-alias.signed.test";

    public const string SecureMxDomain = SignedZone;
    public const string ImplicitMxDomain = "nomx.signed.test";
    public const string InsecureMxDomain = UnsignedZone;
    public const string BogusMxDomain = BogusZone;

    public const string CnameOneHop = "cname1.signed.test";
    public const string CnameTwoHops = "cname2.signed.test";
    public const string CnameThroughUnsigned = "cname-insecure.signed.test";

    /// <summary>Number of TLSA records at <see cref="SecureBigTlsa"/>.</summary>
    public const int BigTlsaCount = 40;

    /// <summary>Validity of the signatures of <see cref="ExpiringZone"/>.</summary>
    public static readonly TimeSpan ExpiringValidity = TimeSpan.FromDays(2);

    /// <summary>TLSA data (hex) at <see cref="SecureSingleTlsa"/>: 3 1 1.</summary>
    public static readonly string SingleTlsaData = Digest("mx1.signed.test");

    /// <summary>TLSA records at <see cref="SecureMultipleTlsa"/>, as "usage selector type HEX".</summary>
    public static readonly IReadOnlyList<string> MultipleTlsaRecords =
    [
        "3 1 1 " + Digest("mx2.signed.test a"),
        "2 0 1 " + Digest("mx2.signed.test b"),
        "3 1 2 " + Digest("mx2.signed.test c", sha512: true),
    ];

    /// <summary>TLSA data (3 1 1) the primary serves at <see cref="StaleTlsa"/>.</summary>
    public static readonly string StaleZoneCurrentTlsaData = Digest("stale current");

    /// <summary>TLSA data (3 1 1) the stale secondary still serves at <see cref="StaleTlsa"/>.</summary>
    public static readonly string StaleZoneOldTlsaData = Digest("stale old");

    /// <summary>Every case of the standard zones with its expected answer.</summary>
    public static IReadOnlyList<DaneDnsCase> Cases { get; } =
    [
        new(SecureSingleTlsa, "TLSA", ExpectedDnsOutcome.Secure, 1, 300, null, "secure single TLSA; source data split in groups and parentheses"),
        new(SecureMultipleTlsa, "TLSA", ExpectedDnsOutcome.Secure, 3, 3600, null, "secure TLSA RRset of three records"),
        new("_25._tcp.mx3.signed.test", "TLSA", ExpectedDnsOutcome.Secure, 1, 3600, null, "TLSA of the third MX host"),
        new(SecureBigTlsa, "TLSA", ExpectedDnsOutcome.Secure, BigTlsaCount, 300, null, "answer above 1232 bytes: TC over UDP, complete over TCP"),
        new(SecureNxDomainTlsa, "TLSA", ExpectedDnsOutcome.SecureNxDomain, 0, null, null, "host without TLSA: NSEC-proven NXDOMAIN"),
        new(SecureNoDataTlsa, "TLSA", ExpectedDnsOutcome.SecureNoData, 0, null, null, "name exists (TXT), no TLSA: NSEC-proven NODATA"),
        new(Nsec3SecureTlsa, "TLSA", ExpectedDnsOutcome.Secure, 1, 300, null, "secure TLSA in an NSEC3 zone"),
        new(Nsec3NxDomainTlsa, "TLSA", ExpectedDnsOutcome.SecureNxDomain, 0, null, null, "NSEC3-proven NXDOMAIN"),
        new(Nsec3NoDataTlsa, "TLSA", ExpectedDnsOutcome.SecureNoData, 0, null, null, "NSEC3-proven NODATA"),
        new(InsecureTlsa, "TLSA", ExpectedDnsOutcome.Insecure, 1, 300, null, "TLSA in an unsigned zone (must not be used for DANE)"),
        new(InsecureNxDomainTlsa, "TLSA", ExpectedDnsOutcome.InsecureNxDomain, 0, null, null, "NXDOMAIN in an unsigned zone"),
        new(InsecureNoDataTlsa, "TLSA", ExpectedDnsOutcome.InsecureNoData, 0, null, null, "NODATA in an unsigned zone"),
        new(BogusTlsa, "TLSA", ExpectedDnsOutcome.Bogus, 1, 300, null, "broken signature: SERVFAIL, data only with CD"),
        new(ExpiringTlsa, "TLSA", ExpectedDnsOutcome.Secure, 1, 300, null, "valid, but the signatures expire within two days"),
        new(StaleTlsa, "TLSA", ExpectedDnsOutcome.Secure, 1, 300, null, "the two authoritative servers disagree (serial 2 vs 1, different data); both versions validate"),
        new(TlsaViaCname, "TLSA", ExpectedDnsOutcome.Secure, 3, 3600, SecureMultipleTlsa, "TLSA name that is a CNAME to another TLSA RRset"),
        new(SecureMxDomain, "MX", ExpectedDnsOutcome.Secure, 3, 3600, null, "signed domain with three MX hosts, preferences 10, 20, 30"),
        new(ImplicitMxDomain, "MX", ExpectedDnsOutcome.SecureNoData, 0, null, null, "no MX: the domain itself is the implicit MX"),
        new(ImplicitMxDomain, "A", ExpectedDnsOutcome.Secure, 1, 300, null, "address of the implicit MX"),
        new(ImplicitMxDomain, "AAAA", ExpectedDnsOutcome.Secure, 1, 300, null, "IPv6 address of the implicit MX"),
        new("_25._tcp.nomx.signed.test", "TLSA", ExpectedDnsOutcome.Secure, 1, 300, null, "TLSA of the implicit MX"),
        new(InsecureMxDomain, "MX", ExpectedDnsOutcome.Insecure, 1, 3600, null, "unsigned domain with an MX"),
        new(BogusMxDomain, "MX", ExpectedDnsOutcome.Bogus, 1, 3600, null, "MX in the bogus zone"),
        new("mx1.signed.test", "A", ExpectedDnsOutcome.Secure, 1, 300, null, "host address, TTL 300"),
        new("mx1.signed.test", "AAAA", ExpectedDnsOutcome.Secure, 1, 300, null, "host IPv6 address"),
        new("mx2.signed.test", "A", ExpectedDnsOutcome.Secure, 1, 3600, null, "host address, TTL 3600"),
        new("mx1.unsigned.test", "A", ExpectedDnsOutcome.Insecure, 1, 300, null, "host address in the unsigned zone"),
        new(CnameOneHop, "A", ExpectedDnsOutcome.Secure, 1, 300, "mx1.signed.test", "one-hop CNAME within the signed zone"),
        new(CnameTwoHops, "A", ExpectedDnsOutcome.Secure, 1, 3600, "mx2.signed.test", "two-hop CNAME through two signed zones"),
        new(CnameThroughUnsigned, "A", ExpectedDnsOutcome.Insecure, 1, 300, "mx1.signed.test", "CNAME chain through the unsigned zone back to a signed host"),
    ];

    /// <summary>A new setup with the six standard zones. Add zones or records to it before the start as a test needs.</summary>
    public static DnsTestSetup Create()
    {
        var setup = new DnsTestSetup();

        var signed = new TestZone(SignedZone, ZoneSecurity.Signed)
        {
            Records =
            {
                "@ 3600 IN MX 10 mx1.signed.test.",
                "@ 3600 IN MX 20 mx2",
                "@ 3600 IN MX 30 mx3",
                "mx1 300 IN A 127.0.25.1",
                "mx1 300 IN AAAA ::1",
                // Source split into groups and over two lines inside parentheses, as zone files often are.
                $"_25._tcp.mx1 300 IN TLSA 3 1 1 ( {Grouped(SingleTlsaData[..24])}\n        {Grouped(SingleTlsaData[24..])} )",
                "mx2 3600 IN A 127.0.25.2",
                "mx2 3600 IN AAAA ::1",
                "mx3 A 127.0.25.3",
                "mx3 AAAA ::1",
                "_25._tcp.mx3 IN TLSA 2 1 1 " + Digest("mx3.signed.test"),
                "notlsa 300 IN A 127.0.25.4",
                "_25._tcp.nodata 300 IN TXT \"a name without TLSA\"",
                "nomx 300 IN A 127.0.25.5",
                "nomx 300 IN AAAA ::1",
                "_25._tcp.nomx 300 IN TLSA 3 1 1 " + Digest("nomx.signed.test"),
                "cname1 300 IN CNAME mx1",
                "cname2 300 IN CNAME host.signed-nsec3.test.",
                "cname-insecure 300 IN CNAME alias.unsigned.test.",
                "_25._tcp.tlsa-alias 300 IN CNAME _25._tcp.mx2",
                "big 300 IN A 127.0.25.6",
            },
        };
        foreach (var record in MultipleTlsaRecords)
        {
            signed.Records.Add("_25._tcp.mx2 3600 IN TLSA " + record);
        }

        for (var i = 0; i < BigTlsaCount; i++)
        {
            signed.Records.Add($"_25._tcp.big 300 IN TLSA 3 1 1 {Digest("big " + i)}");
        }

        setup.Zones.Add(signed);
        setup.Zones.Add(new TestZone(Nsec3Zone, ZoneSecurity.Signed)
        {
            UseNsec3 = true,
            Records =
            {
                "@ 3600 IN MX 10 mx1",
                "host 300 IN CNAME mx2.signed.test.",
                "mx1 300 IN A 127.0.25.7",
                "mx1 300 IN AAAA ::1",
                "_25._tcp.mx1 300 IN TLSA 3 1 1 " + Digest("mx1.signed-nsec3.test"),
                "notlsa 300 IN A 127.0.25.7",
                "_25._tcp.nodata 300 IN TXT \"a name without TLSA\"",
            },
        });
        setup.Zones.Add(new TestZone(UnsignedZone, ZoneSecurity.Unsigned)
        {
            Records =
            {
                "@ 3600 IN MX 10 mx1",
                "mx1 300 IN A 127.0.25.8",
                "mx1 300 IN AAAA ::1",
                "_25._tcp.mx1 300 IN TLSA 3 1 1 " + Digest("mx1.unsigned.test"),
                "alias 300 IN CNAME mx1.signed.test.",
                "notlsa 300 IN A 127.0.25.8",
                "_25._tcp.nodata 300 IN TXT \"a name without TLSA\"",
            },
        });
        setup.Zones.Add(new TestZone(BogusZone, ZoneSecurity.Bogus)
        {
            Records =
            {
                "@ 3600 IN MX 10 mx1",
                "mx1 300 IN A 127.0.25.9",
                "_25._tcp.mx1 300 IN TLSA 3 1 1 " + Digest("mx1.bogus.test"),
            },
        });
        setup.Zones.Add(new TestZone(ExpiringZone, ZoneSecurity.Signed)
        {
            SignatureValidity = ExpiringValidity,
            Records =
            {
                "mx1 300 IN A 127.0.25.10",
                "_25._tcp.mx1 300 IN TLSA 3 1 1 " + Digest("mx1.expiring.test"),
            },
        });
        setup.Zones.Add(new TestZone(StaleZone, ZoneSecurity.Signed)
        {
            Records =
            {
                "mx1 300 IN A 127.0.25.11",
                "_25._tcp.mx1 300 IN TLSA 3 1 1 " + StaleZoneCurrentTlsaData,
            },
            StaleSecondaryRecords =
            {
                "mx1 300 IN A 127.0.25.11",
                "_25._tcp.mx1 300 IN TLSA 3 1 1 " + StaleZoneOldTlsaData,
            },
        });
        return setup;
    }

    /// <summary>Arbitrary but stable TLSA data: SHA-256 (or SHA-512) of a label, upper-case hex.</summary>
    public static string Digest(string seed, bool sha512 = false)
    {
        var bytes = Encoding.UTF8.GetBytes(seed);
        return Convert.ToHexString(sha512 ? SHA512.HashData(bytes) : SHA256.HashData(bytes));
    }

    /// <summary>Hex in groups of eight separated by spaces, as zone files often write long data.</summary>
    public static string Grouped(string hex) =>
        string.Join(' ', Enumerable.Range(0, (hex.Length + 7) / 8).Select(i => hex.Substring(i * 8, Math.Min(8, hex.Length - (i * 8)))));
}
