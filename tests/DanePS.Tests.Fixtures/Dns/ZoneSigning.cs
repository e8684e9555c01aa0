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

/// <summary>A zone's key pair (KSK and ZSK, ECDSAP256SHA256 unless the zone asks for another algorithm) made by dnssec-keygen, and the DS that the parent publishes.</summary>
internal sealed class ZoneKeys
{
    /// <summary>dnssec-keygen's names of the DNSSEC algorithms the fixture signs with.</summary>
    private static readonly Dictionary<int, string> AlgorithmNames = new()
    {
        [8] = "RSASHA256",
        [10] = "RSASHA512",
        [13] = "ECDSAP256SHA256",
        [14] = "ECDSAP384SHA384",
        [15] = "ED25519",
        [16] = "ED448",
    };

    private ZoneKeys(string zone, string keysFolder, string kskBaseName, string zskBaseName, int algorithm, (string Dnskey, int KeyTag)? dsKey = null)
    {
        Zone = zone;
        Algorithm = algorithm;
        KeysFolder = keysFolder;
        KskBaseName = kskBaseName;
        ZskBaseName = zskBaseName;
        KskDnskey = ReadDnskey(Path.Combine(keysFolder, kskBaseName + ".key"));
        ZskDnskey = ReadDnskey(Path.Combine(keysFolder, zskBaseName + ".key"));

        // dnssec-keygen names its files K<zone>.+<alg>+<key tag>.
        KeyTag = dsKey?.KeyTag ?? KeyTagOf(kskBaseName);
        DsDigest = ComputeDsDigest(zone, dsKey?.Dnskey ?? KskDnskey);
    }

    /// <summary>Normalized zone name ("" for the root).</summary>
    public string Zone { get; }

    /// <summary>DNSSEC algorithm number of both keys (8, 10, 13, 14, 15 or 16).</summary>
    public int Algorithm { get; }

    public string KeysFolder { get; }

    public string KskBaseName { get; }

    public string ZskBaseName { get; }

    /// <summary>The KSK's DNSKEY record in presentation format.</summary>
    public string KskDnskey { get; }

    public string ZskDnskey { get; }

    /// <summary>Key tag of the KSK (of a revoked KSK: its tag before revocation, which the DS names).</summary>
    public int KeyTag { get; }

    /// <summary>SHA-256 digest (upper-case hex) of the KSK, as in the DS record (of a revoked KSK: of the key before revocation).</summary>
    public string DsDigest { get; }

    /// <summary>The DS record in presentation format, e.g. <c>signed.test. 3600 IN DS 12345 13 2 ABCD...</c>.</summary>
    public string DsRecord(int ttl) =>
        string.Create(CultureInfo.InvariantCulture, $"{DnsName.Fqdn(Zone)} {ttl} IN DS {KeyTag} {Algorithm} 2 {DsDigest}");

    /// <summary>Whether the fixture can sign with <paramref name="algorithm"/>.</summary>
    public static bool IsSupported(int algorithm) => AlgorithmNames.ContainsKey(algorithm);

    /// <summary>
    /// Generates a KSK and a ZSK of <paramref name="algorithm"/>. With <paramref name="revokeKsk"/> the KSK is then
    /// revoked (dnssec-revoke: the REVOKE bit set, so a new key tag), and the DS stays the one of the key before
    /// revocation, as the parent still publishes it when a zone's only KSK is revoked.
    /// </summary>
    /// <remarks>
    /// A DS computed over the revoked key itself would not make the zone bogus in practice: RFC 5011 §2.1 says a
    /// revoked key must not be used for anything but its own revocation, yet BIND (delv 9.18) and Unbound 1.17 both
    /// validate such a zone as secure (tried with this fixture), so no oracle would say Bogus for it.
    /// </remarks>
    public static async Task<ZoneKeys> GenerateAsync(string zone, string keysFolder, CancellationToken cancellationToken, int algorithm = 13, bool revokeKsk = false)
    {
        if (!AlgorithmNames.TryGetValue(algorithm, out var algorithmName))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, $"The fixture signs with algorithms {string.Join(", ", AlgorithmNames.Keys)}.");
        }

        Task<string> Generate(bool keySigningKey)
        {
            var arguments = new List<string> { "-q", "-K", keysFolder, "-a", algorithmName, "-n", "ZONE" };
            if (keySigningKey)
            {
                arguments.AddRange(["-f", "KSK"]);
            }

            arguments.Add(DnsName.Fqdn(zone));
            return ExternalCommand.RunToSuccessAsync(RequiredProgram.DnssecKeygen, arguments, keysFolder, cancellationToken);
        }

        var ksk = Generate(keySigningKey: true);
        var zsk = Generate(keySigningKey: false);
        var kskBaseName = (await ksk).Trim();
        (string Dnskey, int KeyTag)? dsKey = null;
        if (revokeKsk)
        {
            dsKey = (ReadDnskey(Path.Combine(keysFolder, kskBaseName + ".key")), KeyTagOf(kskBaseName));
            kskBaseName = await RevokeAsync(keysFolder, kskBaseName, cancellationToken);
        }

        return new ZoneKeys(zone, keysFolder, kskBaseName, (await zsk).Trim(), algorithm, dsKey);
    }

    /// <summary>
    /// One extra key of <paramref name="algorithm"/> for <paramref name="zone"/> (a ZSK), in its own folder so that
    /// signing with the zone's own keys never picks it up. Returns the key's base name and its DNSKEY record.
    /// </summary>
    public static async Task<(string Folder, string BaseName, string Dnskey, int KeyTag)> GenerateExtraAsync(string zone, string folder, int algorithm, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var baseName = (await ExternalCommand.RunToSuccessAsync(RequiredProgram.DnssecKeygen, ["-q", "-K", folder, "-a", AlgorithmNames[algorithm], "-n", "ZONE", DnsName.Fqdn(zone)], folder, cancellationToken)).Trim();
        return (folder, baseName, ReadDnskey(Path.Combine(folder, baseName + ".key")), KeyTagOf(baseName));
    }

    /// <summary>A DS record (SHA-256) for any DNSKEY of <paramref name="zone"/>.</summary>
    public static string DsFor(string zone, string dnskey, int keyTag, int algorithm, int ttl) =>
        string.Create(CultureInfo.InvariantCulture, $"{DnsName.Fqdn(zone)} {ttl} IN DS {keyTag} {algorithm} 2 {ComputeDsDigest(zone, dnskey)}");

    private static async Task<string> RevokeAsync(string keysFolder, string kskBaseName, CancellationToken cancellationToken)
    {
        var before = Directory.GetFiles(keysFolder, "*.key").ToHashSet(StringComparer.Ordinal);
        await ExternalCommand.RunToSuccessAsync(RequiredProgram.DnssecRevoke, ["-r", "-K", keysFolder, kskBaseName], keysFolder, cancellationToken);
        var prefix = kskBaseName[..(kskBaseName.LastIndexOf('+') + 1)];
        var revoked = Directory.GetFiles(keysFolder, prefix + "*.key")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(name => !before.Contains(Path.Combine(keysFolder, name + ".key")) && File.ReadAllText(Path.Combine(keysFolder, name + ".key")).Contains(" 385 ", StringComparison.Ordinal))
            .ToList();
        return revoked.Count == 1 ? revoked[0] : throw new FixtureException($"dnssec-revoke left {revoked.Count} new revoked keys for {kskBaseName} in {keysFolder}.");
    }

    private static int KeyTagOf(string baseName) =>
        int.Parse(baseName[(baseName.LastIndexOf('+') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);

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

    public static Task SignAsync(string sourceFile, string signedFile, string zone, ZoneKeys keys, TimeSpan? validity, bool nsec3, CancellationToken cancellationToken, DateTime? inceptionTime = null, bool skipVerification = false)
    {
        var now = DateTime.UtcNow;
        var expiry = (inceptionTime ?? now) + (validity ?? TimeSpan.FromDays(30));
        var inception = inceptionTime ?? (validity is { } v && v <= TimeSpan.Zero ? expiry.AddDays(-30) : now.AddHours(-1));
        var arguments = new List<string>
        {
            "-q", "-K", keys.KeysFolder, "-d", keys.KeysFolder,
            "-o", DnsName.Fqdn(zone), "-N", "keep", "-O", "full", "-f", signedFile,
            "-s", inception.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
            "-e", expiry.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
        };
        if (expiry <= now || inception > now || skipVerification)
        {
            arguments.Add("-P"); // dnssec-signzone refuses to verify a zone whose signatures are not valid now, or whose only KSK is revoked.
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
