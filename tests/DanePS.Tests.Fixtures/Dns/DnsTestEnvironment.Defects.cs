using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>
/// Zones broken on purpose (<see cref="TestZone.Defect"/>): each is signed normally by dnssec-signzone, and then the
/// signed file (one record per line, <c>-O full</c>) is edited, or its signing times or the parent's DS are chosen,
/// so that it is bogus for exactly one reason. Knot serves the edited file as it is (it does not sign these zones).
/// </summary>
public sealed partial class DnsTestEnvironment
{
    /// <summary>Algorithm of the key that signs the downgraded RRset of an <see cref="DnssecDefect.AlgorithmDowngrade"/> zone.</summary>
    public const int DowngradeAlgorithm = 8;

    private readonly Dictionary<string, (string Folder, string BaseName, string Dnskey, int KeyTag)> defectKeys = new(StringComparer.Ordinal);

    private static bool Has(TestZone? zone, DnssecDefect defect) => zone is { Security: ZoneSecurity.Bogus } && zone.Defect == defect;

    /// <summary>The extra key of each algorithm-downgrade zone: an RSASHA256 key that the zone does not publish.</summary>
    private async Task GenerateDefectKeysAsync(CancellationToken cancellationToken)
    {
        foreach (var zone in zones.Where(z => Has(z, DnssecDefect.WrongSignerName)))
        {
            var signer = SignerBelowApex(zone);
            defectKeys[zone.Name] = await ZoneKeys.GenerateExtraAsync(signer, Path.Combine(WorkingFolder, "keys-extra", zone.Name), zone.Algorithm, cancellationToken);
        }

        foreach (var zone in zones.Where(z => Has(z, DnssecDefect.AlgorithmDowngrade)))
        {
            if (zone.Algorithm == DowngradeAlgorithm)
            {
                throw new FixtureException($"Zone '{zone.Name}': an algorithm downgrade needs the zone signed with another algorithm than {DowngradeAlgorithm}.");
            }

            defectKeys[zone.Name] = await ZoneKeys.GenerateExtraAsync(zone.Name, Path.Combine(WorkingFolder, "keys-extra", zone.Name), DowngradeAlgorithm, cancellationToken);
        }
    }

    /// <summary>Inception (null: an hour ago) and validity of a zone's signatures, as its defect wants them.</summary>
    private static (DateTime? Inception, TimeSpan? Validity) SignatureTimes(TestZone? zone)
    {
        if (Has(zone, DnssecDefect.ExpiredSignatures))
        {
            // Well beyond any validator's clock-skew allowance (Unbound's is 10% of the validity period, at most a day).
            return (null, TimeSpan.FromDays(-7));
        }

        if (Has(zone, DnssecDefect.NotYetValidSignatures))
        {
            return (DateTime.UtcNow.AddDays(7), TimeSpan.FromDays(30));
        }

        return (null, zone?.SignatureValidity);
    }

    /// <summary>The DS (or DS set) the parent publishes for a signed child.</summary>
    private void AppendDs(StringBuilder text, TestZone child)
    {
        var ds = keys[child.Name].DsRecord(3600);
        if (Has(child, DnssecDefect.DsMatchesNoKey))
        {
            // Same key tag and algorithm, last digest digit changed: a DS that points at the key and matches no key.
            var last = ds[^1];
            ds = ds[..^1] + (last == '0' ? '1' : '0');
        }

        text.AppendLine(ds);
        if (Has(child, DnssecDefect.AlgorithmDowngrade))
        {
            var extra = defectKeys[child.Name];
            text.AppendLine(ZoneKeys.DsFor(child.Name, extra.Dnskey, extra.KeyTag, DowngradeAlgorithm, 3600));
        }
    }

    private async Task ApplyDefectAsync(TestZone zone, string signedFile, CancellationToken cancellationToken)
    {
        var lines = File.ReadAllLines(signedFile).Select(line => new SignedLine(line)).ToList();
        var target = zone.DefectTargetFqdn;
        switch (zone.Defect)
        {
            case DnssecDefect.ExpiredSignatures:
            case DnssecDefect.NotYetValidSignatures:
            case DnssecDefect.DsMatchesNoKey:
            case DnssecDefect.RevokedKey:
                return; // made by the signing times, the parent's DS or the keys

            case DnssecDefect.SignatureOverChangedData:
            {
                var index = lines.FindIndex(l => l.Owner == target && l.Type == "TLSA");
                Require(index >= 0, zone, $"no TLSA record at {target}");
                lines[index] = new SignedLine(string.Join(' ', lines[index].Tokens.Take(7)) + " " + StandardDaneZones.Digest("changed after signing: " + target));
                break;
            }

            case DnssecDefect.StrippedSignature:
                Require(lines.RemoveAll(l => l.IsSignatureOver(target, "TLSA")) > 0, zone, $"no RRSIG over the TLSA RRset at {target}");
                break;

            case DnssecDefect.WrongSignerName:
            {
                // A valid signature over the zone's own RRset by a key of a name inside the zone: dnssec-signzone
                // signs the RRset as data of a scratch zone at that name, so the RRSIG names it as its signer.
                var extra = defectKeys[zone.Name];
                var foreign = await ForeignSignaturesAsync(zone, SignerBelowApex(zone), extra.Folder, [extra.BaseName], [extra.Dnskey], lines, target, cancellationToken);
                ReplaceSignatures(lines, target, foreign, zone);
                break;
            }

            case DnssecDefect.AlgorithmDowngrade:
            {
                var extra = defectKeys[zone.Name];
                var foreign = await ForeignSignaturesAsync(zone, zone.Name, extra.Folder, [extra.BaseName], [extra.Dnskey], lines, target, cancellationToken);
                ReplaceSignatures(lines, target, foreign, zone);
                break;
            }

            case DnssecDefect.NsecNotCovering:
                RemoveNsecPredecessor(lines, zone, target);
                break;

            case DnssecDefect.Nsec3ChainGap:
                RemoveCoveringNsec3(lines, zone, target);
                break;

            default:
                throw new FixtureException($"Zone '{zone.Name}': unknown defect {zone.Defect}.");
        }

        await File.WriteAllLinesAsync(signedFile, lines.Select(l => l.Text), cancellationToken);
    }

    /// <summary>The wrong signer of a <see cref="DnssecDefect.WrongSignerName"/> zone: the host of the TLSA name (mx1.&lt;zone&gt;).</summary>
    private static string SignerBelowApex(TestZone zone)
    {
        var target = DnsName.Normalize(zone.DefectTargetFqdn);
        Require(target.StartsWith('_') && target.Split('.').Length > 3, zone, $"the target {target} is not a TLSA name below a host");
        return string.Join('.', target.Split('.').Skip(2));
    }

    private static void ReplaceSignatures(List<SignedLine> lines, string target, IReadOnlyList<SignedLine> foreign, TestZone zone)
    {
        var at = lines.FindIndex(l => l.IsSignatureOver(target, "TLSA"));
        Require(at >= 0 && foreign.Count > 0, zone, $"no RRSIG over the TLSA RRset at {target} to replace (or none made)");
        lines.RemoveAll(l => l.IsSignatureOver(target, "TLSA"));
        lines.InsertRange(at, foreign);
    }

    /// <summary>
    /// Signs a copy of the TLSA RRset at <paramref name="target"/> in a scratch zone <paramref name="origin"/> with
    /// other keys, and returns the RRSIG lines over it.
    /// </summary>
    private async Task<IReadOnlyList<SignedLine>> ForeignSignaturesAsync(
        TestZone zone,
        string origin,
        string keyFolder,
        IReadOnlyList<string> keyBaseNames,
        IReadOnlyList<string> dnskeys,
        IReadOnlyList<SignedLine> lines,
        string target,
        CancellationToken cancellationToken)
    {
        var work = Directory.CreateDirectory(Path.Combine(WorkingFolder, "defects", zone.Name)).FullName;
        var originFqdn = DnsName.Fqdn(origin);
        var nameServer = origin.Length == 0 ? "a.root-servers.net." : "ns1." + originFqdn;
        var source = new StringBuilder()
            .AppendLine(Invariant($"$ORIGIN {originFqdn}"))
            .AppendLine("$TTL 3600")
            .AppendLine(Invariant($"{originFqdn} 3600 IN SOA {nameServer} hostmaster.{(origin.Length == 0 ? "root-servers.net." : originFqdn)} 1 3600 600 86400 300"))
            .AppendLine(Invariant($"{originFqdn} 3600 IN NS {nameServer}"))
            .AppendLine(Invariant($"{nameServer} 3600 IN A 127.0.0.1"));
        foreach (var dnskey in dnskeys)
        {
            source.AppendLine(dnskey);
        }

        foreach (var record in lines.Where(l => l.Owner == target && l.Type == "TLSA"))
        {
            source.AppendLine(record.Text);
        }

        var sourceFile = Path.Combine(work, "scratch.zone");
        var signedFile = Path.Combine(work, "scratch.signed");
        await File.WriteAllTextAsync(sourceFile, source.ToString(), cancellationToken);
        var now = DateTime.UtcNow;
        var arguments = new List<string>
        {
            "-q", "-K", keyFolder, "-d", work, "-o", originFqdn, "-N", "keep", "-O", "full", "-f", signedFile, "-P",
            "-s", now.AddHours(-1).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
            "-e", now.AddDays(30).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
            sourceFile,
        };
        arguments.AddRange(keyBaseNames);
        await ExternalCommand.RunToSuccessAsync(RequiredProgram.DnssecSignzone, arguments, keyFolder, cancellationToken);
        return File.ReadAllLines(signedFile).Select(l => new SignedLine(l)).Where(l => l.IsSignatureOver(target, "TLSA")).ToList();
    }

    /// <summary>
    /// Removes, with all its records, the name whose NSEC covers <paramref name="target"/>: the NSEC before it then
    /// ends at the removed name, before the target, and is what the server gives as the denial.
    /// </summary>
    private static void RemoveNsecPredecessor(List<SignedLine> lines, TestZone zone, string target)
    {
        var covering = lines.Where(l => l.Type == "NSEC" && l.Tokens.Length > 4)
            .FirstOrDefault(l => Covers(l.Owner, DnsName.Normalize(l.Tokens[4]) + ".", target, zone.Fqdn));
        Require(covering is not null, zone, $"no NSEC covers {target} (does the name exist?)");
        Require(covering!.Owner != zone.Fqdn, zone, $"the NSEC covering {target} is the apex's; add a name just before it in canonical order");
        lines.RemoveAll(l => l.Owner == covering.Owner);
    }

    /// <summary>Removes the NSEC3 record (and its RRSIG) that covers the hash of the next closer name of <paramref name="target"/>.</summary>
    private static void RemoveCoveringNsec3(List<SignedLine> lines, TestZone zone, string target)
    {
        var nsec3 = lines.Where(l => l.Type == "NSEC3" && l.Tokens.Length > 8).ToList();
        Require(nsec3.Count > 0, zone, "no NSEC3 records (set UseNsec3)");
        var hashedOwners = nsec3.Select(l => l.Owner).ToHashSet(StringComparer.Ordinal);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var owner in lines.Where(l => l.Owner.Length > 0 && !hashedOwners.Contains(l.Owner)).Select(l => l.Owner))
        {
            for (var name = owner; DnsName.IsAtOrBelow(DnsName.Normalize(name), zone.Name); name = Parent(name))
            {
                existing.Add(name);
                if (name == zone.Fqdn)
                {
                    break;
                }
            }
        }

        string? nextCloser = null;
        var candidate = target;
        while (!existing.Contains(candidate))
        {
            nextCloser = candidate;
            candidate = Parent(candidate);
        }

        Require(nextCloser is not null, zone, $"{target} exists; the gap must be where a name does not exist");
        var iterations = int.Parse(nsec3[0].Tokens[6], CultureInfo.InvariantCulture);
        var salt = nsec3[0].Tokens[7] == "-" ? [] : Convert.FromHexString(nsec3[0].Tokens[7]);
        var hash = Nsec3Hash(nextCloser!, salt, iterations);
        var covering = nsec3.FirstOrDefault(l =>
        {
            var from = l.Owner[..l.Owner.IndexOf('.', StringComparison.Ordinal)].ToUpperInvariant();
            var to = l.Tokens[8].ToUpperInvariant();
            return string.CompareOrdinal(from, to) < 0
                ? string.CompareOrdinal(from, hash) < 0 && string.CompareOrdinal(hash, to) < 0
                : string.CompareOrdinal(from, hash) < 0 || string.CompareOrdinal(hash, to) < 0;
        });
        Require(covering is not null, zone, $"no NSEC3 covers the hash {hash} of {nextCloser}");
        lines.RemoveAll(l => l.Owner == covering!.Owner);
    }

    /// <summary>Whether the NSEC from <paramref name="owner"/> to <paramref name="next"/> covers <paramref name="name"/> (the last NSEC wraps to the apex).</summary>
    private static bool Covers(string owner, string next, string name, string apex) =>
        CanonicalCompare(owner, name) < 0 && (next == apex || CanonicalCompare(name, next) < 0);

    /// <summary>RFC 4034 §6.1 canonical order of names (lower case, labels compared from the right).</summary>
    internal static int CanonicalCompare(string a, string b)
    {
        var left = a.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries).Reverse().ToList();
        var right = b.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries).Reverse().ToList();
        for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
        {
            var order = string.CompareOrdinal(DnsName.Normalize(left[i]), DnsName.Normalize(right[i]));
            if (order != 0)
            {
                return order;
            }
        }

        return left.Count.CompareTo(right.Count);
    }

    /// <summary>RFC 5155 §5 hash of a name, in base32hex (upper case, no padding).</summary>
    internal static string Nsec3Hash(string name, byte[] salt, int iterations)
    {
        var wire = new List<byte>();
        foreach (var label in DnsName.Normalize(name).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            wire.Add((byte)label.Length);
            wire.AddRange(Encoding.ASCII.GetBytes(label));
        }

        wire.Add(0);
#pragma warning disable CA5350 // NSEC3 is defined with SHA-1.
        var hash = SHA1.HashData([.. wire, .. salt]);
        for (var i = 0; i < iterations; i++)
        {
            hash = SHA1.HashData([.. hash, .. salt]);
        }
#pragma warning restore CA5350

        const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
        var text = new StringBuilder();
        var buffer = 0;
        var bits = 0;
        foreach (var b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }

    private static string Parent(string fqdn)
    {
        var dot = fqdn.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 || dot == fqdn.Length - 1 ? "." : fqdn[(dot + 1)..];
    }

    private static void Require(bool condition, TestZone zone, string what)
    {
        if (!condition)
        {
            throw new FixtureException($"Zone '{zone.Name}' cannot be made {zone.Defect}: {what}.");
        }
    }

    /// <summary>One line of a signed zone file in dnssec-signzone's full format: owner TTL class type data.</summary>
    private sealed class SignedLine
    {
        public SignedLine(string text)
        {
            Text = text;
            Tokens = text.StartsWith(';') ? [] : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            Owner = Tokens.Length >= 4 ? DnsName.Normalize(Tokens[0]) + "." : string.Empty;
            Type = Tokens.Length >= 4 ? Tokens[3].ToUpperInvariant() : string.Empty;
        }

        public string Text { get; }

        public string[] Tokens { get; }

        /// <summary>Lower case, with the trailing dot; empty for comments and directives.</summary>
        public string Owner { get; }

        public string Type { get; }

        public bool IsSignatureOver(string owner, string type) =>
            Type == "RRSIG" && Owner == owner && Tokens.Length > 4 && string.Equals(Tokens[4], type, StringComparison.OrdinalIgnoreCase);
    }
}
