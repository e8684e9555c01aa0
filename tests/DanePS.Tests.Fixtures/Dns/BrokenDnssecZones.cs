using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>
/// Zones for testing a DNSSEC validator: one zone broken on purpose for each reason a validator must say Bogus
/// (<see cref="DnssecDefect"/>), and one correctly signed zone for each algorithm the fixture signs with. Every zone
/// has <c>mx1</c> (an A record) and a TLSA record at <c>_25._tcp.mx1</c>, so a TLSA lookup exercises it.
/// <code>
/// zone                defect                       the name that shows it                   validator says
/// sig-expired.test    every RRSIG expired 7 days   _25._tcp.mx1 TLSA (and the zone's SOA)     Bogus
/// sig-future.test     every RRSIG starts in 7 d   _25._tcp.mx1 TLSA (and the zone's SOA)     Bogus
/// wrong-signer.test   TLSA signed by a key of mx1  _25._tcp.mx1 TLSA (signer mx1.wrong-signer.test.) Bogus
/// ds-mismatch.test    DS digest matches no DNSKEY  _25._tcp.mx1 TLSA (and the zone's SOA)     Bogus
/// revoked-ksk.test    only KSK has REVOKE (385);   _25._tcp.mx1 TLSA (and the zone's SOA)     Bogus
///                     DS still names it unrevoked
/// nsec3-gap.test      NSEC3 covering the name gone _25._tcp.notlsa TLSA (NXDOMAIN unprovable) Bogus; mx1 Secure
/// nsec-nocover.test   NSEC given doesn't cover it  _25._tcp.notlsa TLSA (NXDOMAIN unprovable) Bogus; mx1 Secure
/// changed-data.test   TLSA changed after signing   _25._tcp.mx1 TLSA                          Bogus
/// stripped-sig.test   TLSA RRSIG removed           _25._tcp.mx1 TLSA                          Bogus
/// downgrade.test      DS 13 + DS 8; TLSA signed    _25._tcp.mx1 TLSA                          Bogus
///                     only by the alg-8 key, which
///                     the DNSKEY RRset lacks
/// alg-8.test … alg-16.test  signed with RSASHA256 (8), RSASHA512 (10), ECDSAP256SHA256 (13), ECDSAP384SHA384 (14),
///                     ED25519 (15), ED448 (16): _25._tcp.mx1 TLSA Secure, _25._tcp.notlsa TLSA NXDOMAIN secure
/// dname.test          signed, with two DNAMEs:     _25._tcp.mx1.renamed → _25._tcp.mx1.alg-13.test  Secure
///                     renamed → alg-13.test,       _25._tcp.notlsa.renamed → alg-13.test NXDOMAIN  Secure NXDOMAIN
///                     to-unsigned → unsigned.test  _25._tcp.mx1.to-unsigned → unsigned.test       Insecure
/// </code>
/// The DNAME zone shows a chain validated link by link (RFC 6672): the DNAME by the signed zone that holds it, the
/// CNAME the resolver synthesises from it believed only as its consequence, then the target's data or denial by the
/// target's zone.
/// The downgrade zone follows RFC 6840 §5.11: a validator accepts any single valid path and must not insist that
/// every algorithm of the DS set works, so a zone that merely lacks signatures of one DS algorithm is Secure. Here
/// the only algorithm with a valid path (13, DS → KSK → DNSKEY RRset) has no signature over the TLSA RRset, and
/// the RSA signature there is by a key the validated DNSKEY RRset does not hold: Bogus. A validator that took the
/// DS set's algorithm 8 as the zone "using an algorithm I cannot check" (RFC 6840 §5.2, Insecure), or trusted a
/// key through a DS alone, would be downgraded.
/// </summary>
public static class BrokenDnssecZones
{
    /// <summary>
    /// The nonexistent TLSA name whose denial the NSEC and NSEC3 defect zones break, relative to the zone; its host
    /// <c>notlsa</c> exists (an A record), so a TLSA lookup gets as far as the denial.
    /// </summary>
    public const string MissingName = "_25._tcp.notlsa";

    /// <summary>Zone name of each defect.</summary>
    public static IReadOnlyDictionary<DnssecDefect, string> ZoneOf { get; } = new Dictionary<DnssecDefect, string>
    {
        [DnssecDefect.ExpiredSignatures] = "sig-expired.test",
        [DnssecDefect.NotYetValidSignatures] = "sig-future.test",
        [DnssecDefect.WrongSignerName] = "wrong-signer.test",
        [DnssecDefect.DsMatchesNoKey] = "ds-mismatch.test",
        [DnssecDefect.RevokedKey] = "revoked-ksk.test",
        [DnssecDefect.Nsec3ChainGap] = "nsec3-gap.test",
        [DnssecDefect.NsecNotCovering] = "nsec-nocover.test",
        [DnssecDefect.SignatureOverChangedData] = "changed-data.test",
        [DnssecDefect.StrippedSignature] = "stripped-sig.test",
        [DnssecDefect.AlgorithmDowngrade] = "downgrade.test",
    };

    /// <summary>The algorithms with a zone of their own (alg-N.test).</summary>
    public static IReadOnlyList<int> Algorithms { get; } = [8, 10, 13, 14, 15, 16];

    /// <summary>The signed zone with DNAMEs into a signed and an unsigned zone.</summary>
    public const string DnameZone = "dname.test";

    /// <summary>Zone name signed with <paramref name="algorithm"/>.</summary>
    public static string AlgorithmZone(int algorithm) => string.Create(CultureInfo.InvariantCulture, $"alg-{algorithm}.test");

    /// <summary>Every name of these zones and what a validator must say for it.</summary>
    public static IReadOnlyList<DaneDnsCase> Cases { get; } = BuildCases();

    /// <summary>The standard zones and these, with the cases of both.</summary>
    public static IReadOnlyList<DaneDnsCase> AllCases { get; } = [.. StandardDaneZones.Cases, .. Cases];

    /// <summary>A new setup with the standard zones (<see cref="StandardDaneZones.Create"/>) and these.</summary>
    public static DnsTestSetup Create()
    {
        var setup = StandardDaneZones.Create();
        AddTo(setup);
        return setup;
    }

    /// <summary>Adds the broken and per-algorithm zones to <paramref name="setup"/>.</summary>
    public static void AddTo(DnsTestSetup setup)
    {
        var address = 1;
        foreach (var (defect, name) in ZoneOf)
        {
            var zone = new TestZone(name, ZoneSecurity.Bogus)
            {
                Defect = defect,
                UseNsec3 = defect == DnssecDefect.Nsec3ChainGap,
                Records =
                {
                    string.Create(CultureInfo.InvariantCulture, $"mx1 300 IN A 127.0.26.{address}"),
                    "_25._tcp.mx1 300 IN TLSA 3 1 1 " + StandardDaneZones.Digest("mx1." + name),
                    string.Create(CultureInfo.InvariantCulture, $"notlsa 300 IN A 127.0.26.{address++}"),
                },
            };
            if (defect is DnssecDefect.Nsec3ChainGap or DnssecDefect.NsecNotCovering)
            {
                zone.DefectTarget = MissingName;
            }

            if (defect is DnssecDefect.NsecNotCovering)
            {
                // Just before _25._tcp.notlsa in canonical order: the name whose NSEC covers it, removed after signing.
                zone.Records.Add("_24._tcp.notlsa 300 IN TXT \"removed after signing\"");
            }

            setup.Zones.Add(zone);
        }

        foreach (var algorithm in Algorithms)
        {
            var name = AlgorithmZone(algorithm);
            setup.Zones.Add(new TestZone(name, ZoneSecurity.Signed)
            {
                Algorithm = algorithm,
                Records =
                {
                    string.Create(CultureInfo.InvariantCulture, $"mx1 300 IN A 127.0.27.{algorithm}"),
                    "_25._tcp.mx1 300 IN TLSA 3 1 1 " + StandardDaneZones.Digest("mx1." + name),
                    string.Create(CultureInfo.InvariantCulture, $"notlsa 300 IN A 127.0.27.{algorithm}"),
                },
            });
        }

        AddDnameZone(setup);
    }

    private static void AddDnameZone(DnsTestSetup setup) =>
        setup.Zones.Add(new TestZone(DnameZone, ZoneSecurity.Signed)
        {
            Records =
            {
                "mx1 300 IN A 127.0.28.1",
                "_25._tcp.mx1 300 IN TLSA 3 1 1 " + StandardDaneZones.Digest("mx1." + DnameZone),
                "renamed 300 IN DNAME " + AlgorithmZone(13) + ".",
                "to-unsigned 300 IN DNAME " + StandardDaneZones.UnsignedZone + ".",
            },
        });

    private static List<DaneDnsCase> BuildCases()
    {
        var cases = new List<DaneDnsCase>();
        foreach (var (defect, zone) in ZoneOf)
        {
            if (defect is DnssecDefect.Nsec3ChainGap or DnssecDefect.NsecNotCovering)
            {
                cases.Add(new("_25._tcp.mx1." + zone, "TLSA", ExpectedDnsOutcome.Secure, 1, 300, null, $"{defect}: the records that exist still validate"));
                cases.Add(new(MissingName + "." + zone, "TLSA", ExpectedDnsOutcome.Bogus, 0, null, null, $"{defect}: the denial does not prove the name absent"));
            }
            else
            {
                cases.Add(new("_25._tcp.mx1." + zone, "TLSA", ExpectedDnsOutcome.Bogus, 1, 300, null, defect.ToString()));
            }
        }

        foreach (var algorithm in Algorithms)
        {
            var zone = AlgorithmZone(algorithm);
            cases.Add(new("_25._tcp.mx1." + zone, "TLSA", ExpectedDnsOutcome.Secure, 1, 300, null, string.Create(CultureInfo.InvariantCulture, $"zone signed with algorithm {algorithm}")));
            cases.Add(new(MissingName + "." + zone, "TLSA", ExpectedDnsOutcome.SecureNxDomain, 0, null, null, string.Create(CultureInfo.InvariantCulture, $"NSEC denial signed with algorithm {algorithm}")));
        }

        cases.Add(new("_25._tcp.mx1.renamed." + DnameZone, "TLSA", ExpectedDnsOutcome.Secure, 1, 300, "_25._tcp.mx1." + AlgorithmZone(13), "DNAME into another signed zone: the DNAME, then the target's TLSA"));
        cases.Add(new(MissingName + ".renamed." + DnameZone, "TLSA", ExpectedDnsOutcome.SecureNxDomain, 0, null, null, "DNAME into another signed zone whose NSEC proves the target absent"));
        cases.Add(new("_25._tcp.mx1.to-unsigned." + DnameZone, "TLSA", ExpectedDnsOutcome.Insecure, 1, 300, "_25._tcp.mx1." + StandardDaneZones.UnsignedZone, "DNAME into an unsigned zone: Insecure"));
        return cases;
    }

    /// <summary>The names of the zones this class adds.</summary>
    public static IEnumerable<string> ZoneNames => ZoneOf.Values.Concat(Algorithms.Select(AlgorithmZone)).Append(DnameZone);
}
