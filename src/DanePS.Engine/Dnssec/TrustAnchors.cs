using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DanePS.Engine.Dnssec;

/// <summary>
/// Trust anchors as DS or DNSKEY records in zone-file presentation format. The built-in set is the IANA root
/// anchors (https://data.iana.org/root-anchors/root-anchors.xml): KSK-2017 (key tag 20326) and KSK-2024 (key tag
/// 38696), both RSASHA256, as their SHA-256 DS digests.
/// </summary>
internal sealed class TrustAnchors
{
    public static readonly IReadOnlyList<string> IanaRootAnchors = new[]
    {
        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
        ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
    };

    private static readonly char[] Whitespace = { ' ', '\t', '\r', '\n' };

    private TrustAnchors(IReadOnlyList<DsInfo> ds, IReadOnlyList<DnskeyInfo> keys, bool builtIn)
    {
        Ds = ds;
        Keys = keys;
        BuiltIn = builtIn;
    }

    public IReadOnlyList<DsInfo> Ds { get; }

    public IReadOnlyList<DnskeyInfo> Keys { get; }

    /// <summary>Whether these are the built-in IANA root anchors.</summary>
    public bool BuiltIn { get; }

    public static TrustAnchors Default { get; } = Parse(IanaRootAnchors, builtIn: true);

    /// <summary>Parses each record; an empty list gives the built-in root anchors.</summary>
    /// <exception cref="FormatException">A line is not a DS or DNSKEY record.</exception>
    public static TrustAnchors Parse(IEnumerable<string> records, bool builtIn = false)
    {
        var lines = records.Where(r => !string.IsNullOrWhiteSpace(r) && !r.TrimStart().StartsWith(";", StringComparison.Ordinal)).ToList();
        if (lines.Count == 0)
        {
            return Default;
        }

        var ds = new List<DsInfo>();
        var keys = new List<DnskeyInfo>();
        foreach (var line in lines)
        {
            var text = line.Split(';')[0].Replace("(", " ").Replace(")", " ");
            var tokens = text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
            var typeAt = Array.FindIndex(tokens, t => t.Equals("DS", StringComparison.OrdinalIgnoreCase) || t.Equals("DNSKEY", StringComparison.OrdinalIgnoreCase));
            if (typeAt < 1 || tokens.Length < typeAt + 5)
            {
                throw new FormatException($"'{line.Trim()}' is not a trust anchor: expected a DS or DNSKEY record in presentation format, e.g. '. IN DS 20326 8 2 E06D…'.");
            }

            try
            {
                var owner = DomainName.Parse(tokens[0]);
                var f = tokens.Skip(typeAt + 1).ToArray();
                if (tokens[typeAt].Equals("DS", StringComparison.OrdinalIgnoreCase))
                {
                    ds.Add(new DsInfo(owner, ushort.Parse(f[0], CultureInfo.InvariantCulture), byte.Parse(f[1], CultureInfo.InvariantCulture), byte.Parse(f[2], CultureInfo.InvariantCulture), Hex(string.Concat(f.Skip(3)))));
                }
                else
                {
                    var flags = ushort.Parse(f[0], CultureInfo.InvariantCulture);
                    var key = Convert.FromBase64String(string.Concat(f.Skip(3)));
                    var rdata = new[] { (byte)(flags >> 8), (byte)flags, byte.Parse(f[1], CultureInfo.InvariantCulture), byte.Parse(f[2], CultureInfo.InvariantCulture) }.Concat(key).ToArray();
                    keys.Add(new DnskeyInfo(owner, rdata));
                }
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or IndexOutOfRangeException)
            {
                throw new FormatException($"'{line.Trim()}' is not a trust anchor: {ex.Message}", ex);
            }
        }

        return new TrustAnchors(ds, keys, builtIn);
    }

    public bool HasAnchorFor(DomainName zone) => Ds.Any(d => d.Owner.Equals(zone)) || Keys.Any(k => k.Owner.Equals(zone));

    public string Describe(DomainName zone) => string.Join(", ",
        Ds.Where(d => d.Owner.Equals(zone)).Select(d => string.Format(CultureInfo.InvariantCulture, "DS {0} ({1})", d.KeyTag, DnssecCrypto.AlgorithmName(d.Algorithm)))
            .Concat(Keys.Where(k => k.Owner.Equals(zone)).Select(k => string.Format(CultureInfo.InvariantCulture, "DNSKEY {0} ({1})", k.KeyTag, DnssecCrypto.AlgorithmName(k.Algorithm)))));

    private static byte[] Hex(string hex) =>
        Tlsa.Hex.TryDecode(hex, out var bytes, out var error) ? bytes : throw new FormatException("the digest: " + error);
}
