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

    /// <summary>TTL of records written without one, and of the fixture's SOA, NS, DNSKEY and address records.</summary>
    public int DefaultTtl { get; set; } = 3600;

    /// <summary>TTL of negative answers (the SOA minimum field).</summary>
    public int NegativeTtl { get; set; } = 300;

    internal bool IsSigned => Security is ZoneSecurity.Signed or ZoneSecurity.Bogus;

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
