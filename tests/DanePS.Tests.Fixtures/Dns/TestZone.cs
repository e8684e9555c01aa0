using System;
using System.Collections.Generic;
using System.Linq;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>How a test zone looks to a validating resolver that trusts only the private root.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Signed/Unsigned are the DNSSEC terms, not integer types.")]
public enum ZoneSecurity
{
    /// <summary>Signed, with a DS in the parent: answers validate and carry the AD flag.</summary>
    Signed,

    /// <summary>Not signed and delegated without a DS: provably insecure, answers without AD.</summary>
    Unsigned,

    /// <summary>
    /// Signed with a DS in the parent, then the signatures over the zone's own <see cref="TestZone.Records"/> are broken
    /// (one byte of every such RRSIG flipped). The resolver answers SERVFAIL, and with the CD bit the data as given.
    /// The zone's infrastructure (SOA, NS, DNSKEY, NSEC/NSEC3, name server addresses) stays valid, so the zone is
    /// reachable and its denials of existence are still secure.
    /// </summary>
    Bogus,
}

/// <summary>
/// How a <see cref="ZoneSecurity.Bogus"/> zone is broken, each for one reason a validator must catch (see
/// <see cref="BrokenDnssecZones"/> for the zones and what a validator should say). Without one, a bogus zone has a
/// byte flipped in the signatures over its own records.
/// </summary>
public enum DnssecDefect
{
    /// <summary>Every signature expired 7 days ago (inception 37 days ago), beyond any clock-skew allowance: the whole zone, DNSKEY included, is bogus.</summary>
    ExpiredSignatures,

    /// <summary>Every signature's inception is 7 days from now, beyond any clock-skew allowance: the whole zone is bogus until then.</summary>
    NotYetValidSignatures,

    /// <summary>
    /// The RRSIG over the <see cref="TestZone.DefectTarget"/> TLSA RRset is a valid signature by a key of
    /// <c>mx1.&lt;zone&gt;</c> (signer name <c>mx1.&lt;zone&gt;.</c>), a name inside the zone that is not a zone and has
    /// no DNSKEY: a signer that is not the zone holding the RRset.
    /// </summary>
    /// <remarks>
    /// A valid signature by the root's key (signer ".") over the child's RRset is not bogus in practice: BIND (delv
    /// 9.18) and Unbound 1.17 accept any signer that is an ancestor with a validated key (tried with this fixture).
    /// </remarks>
    WrongSignerName,

    /// <summary>The parent's DS has the KSK's key tag and algorithm but a digest that matches no DNSKEY.</summary>
    DsMatchesNoKey,

    /// <summary>
    /// The zone's only KSK has the REVOKE bit (RFC 5011, flags 385, so a new key tag); the parent's DS is still the
    /// one of the key before revocation, so no usable key is left to start the chain.
    /// </summary>
    RevokedKey,

    /// <summary>
    /// An NSEC3 zone with the NSEC3 record that covers the next closer name of <see cref="TestZone.DefectTarget"/>
    /// (a name that does not exist) removed from the chain: the server answers with its predecessor, which covers nothing.
    /// </summary>
    Nsec3ChainGap,

    /// <summary>
    /// An NSEC zone from which the name just before <see cref="TestZone.DefectTarget"/> (a name that does not exist)
    /// was removed with its NSEC after signing: the server answers with the NSEC before it, valid but not covering the name.
    /// </summary>
    NsecNotCovering,

    /// <summary>The TLSA data at <see cref="TestZone.DefectTarget"/> changed after signing; the RRSIG is over the old RRset.</summary>
    SignatureOverChangedData,

    /// <summary>The RRSIG over the TLSA RRset at <see cref="TestZone.DefectTarget"/> removed; the rest of the zone is signed.</summary>
    StrippedSignature,

    /// <summary>
    /// Algorithm downgrade (RFC 6840 §5.11): the parent has a DS for the zone's ECDSAP256SHA256 KSK and one for an
    /// RSASHA256 key that the zone's DNSKEY RRset does not hold; the TLSA RRset at <see cref="TestZone.DefectTarget"/>
    /// is signed only by that RSA key. The only valid path (DS 13 → DNSKEY 13) has no key for that signature.
    /// </summary>
    AlgorithmDowngrade,
}

/// <summary>
/// A zone of the private DNS tree. The fixture adds SOA, NS (<c>ns1.&lt;zone&gt;</c>, and <c>ns2.&lt;zone&gt;</c> with a
/// secondary), the name servers' addresses, DNSKEYs, the delegation and glue in the parent and, for signed zones, the DS.
/// </summary>
public sealed class TestZone
{
    /// <summary>SOA serial of the zone as the primary serves it.</summary>
    public const uint PrimarySerial = 2;

    /// <summary>SOA serial of the older version that a stale secondary serves.</summary>
    public const uint StaleSerial = 1;

    /// <param name="name">Zone name, e.g. <c>signed.test</c> (a trailing dot is allowed). Not the root: the fixture owns it.</param>
    /// <param name="security">How the zone is signed and delegated.</param>
    public TestZone(string name, ZoneSecurity security)
    {
        Name = DnsName.Normalize(name);
        if (Name.Length == 0)
        {
            throw new ArgumentException("The root zone belongs to the fixture; name a zone below it.", nameof(name));
        }

        Security = security;
    }

    /// <summary>Zone name in lower case without the trailing dot, e.g. <c>signed.test</c>.</summary>
    public string Name { get; }

    /// <summary>Zone name with the trailing dot, e.g. <c>signed.test.</c>.</summary>
    public string Fqdn => Name + ".";

    public ZoneSecurity Security { get; }

    /// <summary>
    /// Zone file lines in presentation format, relative to the zone origin (or absolute with a trailing dot), e.g.
    /// <c>"_25._tcp.mx1 300 IN TLSA 3 1 1 ( 5E791D0C 1E5D... )"</c>. Parentheses may span lines within one entry.
    /// Without a TTL a record gets <see cref="DefaultTtl"/>. The names <c>ns1</c> and <c>ns2</c> are the fixture's.
    /// </summary>
    public IList<string> Records { get; } = new List<string>();

    /// <summary>
    /// When not empty, a second authoritative server (<c>ns2</c>, also in the NS set) serves an older version of the
    /// zone, with serial <see cref="StaleSerial"/> and these records in place of <see cref="Records"/>. Signed zones
    /// sign both versions with the same keys, so both validate: only a direct query to each server shows they differ.
    /// </summary>
    public IList<string> StaleSecondaryRecords { get; } = new List<string>();

    /// <summary>
    /// Serve the zone from a second authoritative server too. Implied by <see cref="StaleSecondaryRecords"/>; without
    /// them the secondary serves exactly what the primary serves.
    /// </summary>
    public bool HasSecondary { get; set; }

    /// <summary>Whether the zone is served by the secondary server as well as the primary.</summary>
    public bool IsServedBySecondary => HasSecondary || StaleSecondaryRecords.Count > 0;

    /// <summary>
    /// Accept RFC 2136 dynamic updates signed with the environment's TSIG key (<see cref="DnsTestEnvironment.UpdateKeyName"/>).
    /// The primary then signs the zone itself (Knot online signing, with the same keys whose DS the parent holds) so
    /// an update is signed at once; a secondary of such a zone is a real one, fed by NOTIFY and zone transfer.
    /// </summary>
    public bool AcceptsUpdates { get; set; }

    /// <summary>Deny existence with NSEC3 (no salt, no extra iterations) instead of NSEC.</summary>
    public bool UseNsec3 { get; set; }

    /// <summary>
    /// How long from now the signatures stay valid; 30 days when not set. A short span (e.g. two days) makes a zone
    /// whose signatures expire soon; a negative span makes signatures that have already expired (the zone is bogus).
    /// </summary>
    public TimeSpan? SignatureValidity { get; set; }

    /// <summary>DNSSEC algorithm of the zone's keys: 8, 10, 13 (the default), 14, 15 or 16.</summary>
    public int Algorithm { get; set; } = 13;

    /// <summary>How a <see cref="ZoneSecurity.Bogus"/> zone is broken; none: a flipped byte in its records' signatures.</summary>
    public DnssecDefect? Defect { get; set; }

    /// <summary>
    /// The name (relative to the zone) a <see cref="Defect"/> is about: the TLSA RRset whose signature is broken, or
    /// the name that does not exist whose denial is broken.
    /// </summary>
    public string DefectTarget { get; set; } = "_25._tcp.mx1";

    /// <summary>TTL of records written without one, and of the fixture's SOA, NS, DNSKEY and address records.</summary>
    public int DefaultTtl { get; set; } = 3600;

    /// <summary>TTL of negative answers (the SOA minimum field).</summary>
    public int NegativeTtl { get; set; } = 300;

    internal bool IsSigned => Security is ZoneSecurity.Signed or ZoneSecurity.Bogus;

    /// <summary>Whether even the zone's SOA and DNSKEY fail to validate (its defect breaks the whole zone).</summary>
    internal bool IsWhollyBogus =>
        (SignatureValidity is { } validity && validity <= TimeSpan.Zero)
        || (Security == ZoneSecurity.Bogus && Defect is DnssecDefect.ExpiredSignatures or DnssecDefect.NotYetValidSignatures or DnssecDefect.DsMatchesNoKey or DnssecDefect.RevokedKey);

    /// <summary>The absolute name (with trailing dot) of <see cref="DefectTarget"/>.</summary>
    internal string DefectTargetFqdn => DnsName.Normalize(DefectTarget) + "." + Fqdn;

    public override string ToString() => $"{Name} ({Security})";
}

/// <summary>What a <see cref="DnsTestEnvironment"/> serves.</summary>
public sealed class DnsTestSetup
{
    /// <summary>The zones below the private root. A zone's parent is the closest enclosing zone, else the root.</summary>
    public IList<TestZone> Zones { get; } = new List<TestZone>();

    /// <summary>How long the servers may take to come up before start fails with their logs.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Keep the working folder (zone files, keys, configs, logs) after dispose, for debugging. The environment
    /// variable <c>DANEPS_KEEP_DNS_FIXTURE=1</c> does the same without a code change.
    /// </summary>
    public bool KeepFiles { get; set; }

    /// <summary>The zone of that name, to add records to it before the start.</summary>
    public TestZone this[string zoneName]
    {
        get
        {
            var name = DnsName.Normalize(zoneName);
            return Zones.FirstOrDefault(z => z.Name == name)
                ?? throw new KeyNotFoundException($"No zone '{name}' in this setup; it has: {string.Join(", ", Zones.Select(z => z.Name))}.");
        }
    }
}

/// <summary>Domain name spelling used throughout the fixture: lower case, no trailing dot, root as "".</summary>
internal static class DnsName
{
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim().TrimEnd('.');
#pragma warning disable CA1308 // DNS names are compared in lower case; this is not about culture-sensitive upper-casing.
        return trimmed.ToLowerInvariant();
#pragma warning restore CA1308
    }

    public static string Fqdn(string normalized) => normalized.Length == 0 ? "." : normalized + ".";

    /// <summary>Whether <paramref name="name"/> is <paramref name="zone"/> or below it (both normalized).</summary>
    public static bool IsAtOrBelow(string name, string zone) =>
        zone.Length == 0 || name == zone || name.EndsWith("." + zone, StringComparison.Ordinal);
}
