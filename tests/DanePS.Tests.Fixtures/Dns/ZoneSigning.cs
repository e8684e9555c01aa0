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

/// <summary>A zone's key pair (KSK and ZSK, ECDSAP256SHA256) made by dnssec-keygen, and the DS that the parent publishes.</summary>
internal sealed class ZoneKeys
{
    private const int Algorithm = 13; // ECDSAP256SHA256

    private ZoneKeys(string zone, string keysFolder, string kskBaseName, string zskBaseName)
    {
        Zone = zone;
        KeysFolder = keysFolder;
        KskBaseName = kskBaseName;
        ZskBaseName = zskBaseName;
        KskDnskey = ReadDnskey(Path.Combine(keysFolder, kskBaseName + ".key"));
        ZskDnskey = ReadDnskey(Path.Combine(keysFolder, zskBaseName + ".key"));

        // dnssec-keygen names its files K<zone>.+<alg>+<key tag>.
        KeyTag = int.Parse(kskBaseName[(kskBaseName.LastIndexOf('+') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        DsDigest = ComputeDsDigest(zone, KskDnskey);
    }

    /// <summary>Normalized zone name ("" for the root).</summary>
    public string Zone { get; }

    public string KeysFolder { get; }

    public string KskBaseName { get; }

    public string ZskBaseName { get; }

    /// <summary>The KSK's DNSKEY record in presentation format.</summary>
    public string KskDnskey { get; }

    public string ZskDnskey { get; }

    /// <summary>Key tag of the KSK.</summary>
    public int KeyTag { get; }

    /// <summary>SHA-256 digest (upper-case hex) of the KSK, as in the DS record.</summary>
    public string DsDigest { get; }

    /// <summary>The DS record in presentation format, e.g. <c>signed.test. 3600 IN DS 12345 13 2 ABCD...</c>.</summary>
    public string DsRecord(int ttl) =>
        string.Create(CultureInfo.InvariantCulture, $"{DnsName.Fqdn(Zone)} {ttl} IN DS {KeyTag} {Algorithm} 2 {DsDigest}");

    public static async Task<ZoneKeys> GenerateAsync(string zone, string keysFolder, CancellationToken cancellationToken)
    {
        Task<string> Generate(bool keySigningKey)
        {
            var arguments = new List<string> { "-q", "-K", keysFolder, "-a", "ECDSAP256SHA256", "-n", "ZONE" };
            if (keySigningKey)
            {
                arguments.AddRange(["-f", "KSK"]);
            }

            arguments.Add(DnsName.Fqdn(zone));
            return ExternalCommand.RunToSuccessAsync(RequiredProgram.DnssecKeygen, arguments, keysFolder, cancellationToken);
        }

        var ksk = Generate(keySigningKey: true);
        var zsk = Generate(keySigningKey: false);
        return new ZoneKeys(zone, keysFolder, (await ksk).Trim(), (await zsk).Trim());
    }

    private static string ReadDnskey(string keyFile) =>
        File.ReadLines(keyFile).First(line => !line.StartsWith(';') && line.Contains(" DNSKEY ", StringComparison.Ordinal)).Trim();

    private static string ComputeDsDigest(string zone, string dnskey)
    {
        // DS digest = SHA-256(owner name in canonical wire form | DNSKEY RDATA), RFC 4034 section 5.1.4.
        var tokens = dnskey.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(tokens, "DNSKEY");
        var data = new List<byte>();
        foreach (var label in zone.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            data.Add((byte)label.Length);
            data.AddRange(Encoding.ASCII.GetBytes(label));
        }

        data.Add(0);
        var flags = ushort.Parse(tokens[at + 1], CultureInfo.InvariantCulture);
        data.Add((byte)(flags >> 8));
        data.Add((byte)flags);
        data.Add(byte.Parse(tokens[at + 2], CultureInfo.InvariantCulture));
        data.Add(byte.Parse(tokens[at + 3], CultureInfo.InvariantCulture));
        data.AddRange(Convert.FromBase64String(string.Concat(tokens.Skip(at + 4))));
        return Convert.ToHexString(SHA256.HashData(data.ToArray()));
    }
}

/// <summary>Signs zone files with dnssec-signzone and, for bogus zones, breaks the signatures afterwards.</summary>
internal static class ZoneSigning
{
    // Infrastructure a bogus zone keeps valid, so the zone stays reachable and its denials stay secure.
    private static readonly HashSet<string> InfrastructureTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "SOA", "NS", "DNSKEY", "NSEC", "NSEC3", "NSEC3PARAM", "CDS", "CDNSKEY", "DS",
    };

    public static Task SignAsync(string sourceFile, string signedFile, string zone, ZoneKeys keys, TimeSpan? validity, bool nsec3, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var expiry = now + (validity ?? TimeSpan.FromDays(30));
        var inception = validity is { } v && v <= TimeSpan.Zero ? expiry.AddDays(-30) : now.AddHours(-1);
        var arguments = new List<string>
        {
            "-q", "-K", keys.KeysFolder, "-d", keys.KeysFolder,
            "-o", DnsName.Fqdn(zone), "-N", "keep", "-O", "full", "-f", signedFile,
            "-s", inception.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
            "-e", expiry.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
        };
        if (expiry <= now)
        {
            arguments.Add("-P"); // dnssec-signzone refuses to verify a zone whose signatures have expired.
        }

        if (nsec3)
        {
            arguments.AddRange(["-3", "-", "-H", "0"]);
        }

        arguments.AddRange([sourceFile, keys.KskBaseName, keys.ZskBaseName]);
        return ExternalCommand.RunToSuccessAsync(RequiredProgram.DnssecSignzone, arguments, keys.KeysFolder, cancellationToken);
    }

    /// <summary>
    /// Flips one byte in every RRSIG over a non-infrastructure RRset that is not a name server address. The data stay
    /// as given, so a query with CD returns exactly the records the test wrote. Returns how many signatures it broke.
    /// </summary>
    public static int BreakSignatures(string signedFile, IReadOnlyCollection<string> nameServerOwners)
    {
        var broken = 0;
        var lines = File.ReadAllLines(signedFile);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(';'))
            {
                continue;
            }

            // Full format: owner TTL IN RRSIG covered alg labels origttl expiry inception tag signer signature...
            var tokens = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 13 || tokens[3] != "RRSIG" || InfrastructureTypes.Contains(tokens[4])
                || nameServerOwners.Contains(DnsName.Normalize(tokens[0])))
            {
                continue;
            }

            var signature = Convert.FromBase64String(string.Concat(tokens.Skip(12)));
            signature[signature.Length / 2] ^= 0xFF;
            lines[i] = string.Join(' ', tokens.Take(12)) + " " + Convert.ToBase64String(signature);
            broken++;
        }

        File.WriteAllLines(signedFile, lines);
        return broken;
    }
}
