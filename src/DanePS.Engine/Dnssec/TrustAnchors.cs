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
    /// <exception cref="FormatException">A record is not a well-formed DS or DNSKEY record (read by <see cref="TrustAnchorFile"/>).</exception>
    public static TrustAnchors Parse(IEnumerable<string> records, bool builtIn = false)
    {
        var all = records.ToList();
        if (all.All(r => string.IsNullOrWhiteSpace(r) || r.TrimStart().StartsWith(";", StringComparison.Ordinal)))
        {
            return Default;
        }

        List<TrustAnchorRecord> read;
        try
        {
            // One anchor per line, so "Line N" in a message is the Nth anchor given (blank and comment entries count).
            read = TrustAnchorFile.Read(string.Join("\n", all), strict: true);
        }
        catch (System.IO.InvalidDataException ex)
        {
            throw new FormatException($"Not a trust anchor: {ex.Message}", ex);
        }

        return new TrustAnchors(read.Where(r => r.Ds is not null).Select(r => r.Ds!).ToList(), read.Where(r => r.Key is not null).Select(r => r.Key!).ToList(), builtIn);
    }

    public bool HasAnchorFor(DomainName zone) => Ds.Any(d => d.Owner.Equals(zone)) || Keys.Any(k => k.Owner.Equals(zone));

    public string Describe(DomainName zone) => string.Join(", ",
        Ds.Where(d => d.Owner.Equals(zone)).Select(d => string.Format(CultureInfo.InvariantCulture, "DS {0} ({1})", d.KeyTag, DnssecCrypto.AlgorithmName(d.Algorithm)))
            .Concat(Keys.Where(k => k.Owner.Equals(zone)).Select(k => string.Format(CultureInfo.InvariantCulture, "DNSKEY {0} ({1})", k.KeyTag, DnssecCrypto.AlgorithmName(k.Algorithm)))));

}
