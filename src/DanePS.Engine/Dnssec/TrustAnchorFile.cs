using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace DanePS.Engine.Dnssec;

/// <summary>
/// Reads a -TrustAnchorPath file: DS and DNSKEY records in zone-file presentation format, as unbound's
/// trust-anchor-file holds them or as <c>dig . DNSKEY</c> prints them. Comments (<c>;</c> to the end of the line),
/// blank lines, <c>$</c> directives and records of other types (the RRSIGs and header lines of dig's output) are
/// skipped; a record may span lines in parentheses. Each anchor comes back on one line, e.g.
/// <c>". 172800 IN DS 20326 8 2 E06D44B8…"</c>, as <c>DnsResolverOptions.TrustAnchors</c> takes them. The one
/// reader of anchors in DanePS: <see cref="TrustAnchors.Parse"/> reads the option's strings with it too.
/// </summary>
public static class TrustAnchorFile
{
    private static readonly System.Text.RegularExpressions.Regex TtlPattern = new("^(?:[0-9]+|(?:[0-9]+[smhdwSMHDW])+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Parses <paramref name="text"/>; an <see cref="InvalidDataException"/> says which record is wrong, or that there is none.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>Each anchor on one line.</returns>
    public static IReadOnlyList<string> Parse(string text) => Read(text, strict: false).Select(a => a.Text).ToList();

    /// <summary>
    /// The DS and DNSKEY records of <paramref name="text"/>, each checked. Records of other types are skipped, or,
    /// when <paramref name="strict"/> (anchors given one by one, not a file), refused.
    /// </summary>
    internal static List<TrustAnchorRecord> Read(string text, bool strict)
    {
        var anchors = new List<TrustAnchorRecord>();
        var number = 0;
        foreach (var (line, record) in Records(text))
        {
            number++;
            var tokens = record.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            // owner [TTL] [class] type, or owner [class] [TTL] type.
            var at = 1;
            while (at < tokens.Length && at < 3 && (IsTtl(tokens[at]) || IsClass(tokens[at])))
            {
                at++;
            }

            if (at >= tokens.Length || !(tokens[at].Equals("DS", StringComparison.OrdinalIgnoreCase) || tokens[at].Equals("DNSKEY", StringComparison.OrdinalIgnoreCase)))
            {
                if (strict)
                {
                    throw Invalid(line, record, "not a DS or DNSKEY record in presentation format, e.g. '. IN DS 20326 8 2 E06D44B8…'");
                }

                continue; // another type (RRSIG, SOA, …): not an anchor
            }

            var owner = tokens[0];
            if (!owner.EndsWith(".", StringComparison.Ordinal))
            {
                throw Invalid(line, record, $"the owner name '{owner}' must be absolute (end with a dot, e.g. '.' for the root)");
            }

            var type = tokens[at].ToUpperInvariant();
            var fields = tokens.Skip(at + 1).ToArray();
            if (fields.Length < 4)
            {
                throw Invalid(line, record, type == "DS" ? "a DS needs key tag, algorithm, digest type and digest" : "a DNSKEY needs flags, protocol, algorithm and public key");
            }

            DomainName name;
            try
            {
                name = DomainName.Parse(owner);
            }
            catch (FormatException ex)
            {
                throw Invalid(line, record, $"the owner name '{owner}' is not a domain name: {ex.Message.TrimEnd('.')}");
            }

            var data = string.Concat(fields.Skip(3));
            if (type == "DS")
            {
                var tag = Number(fields[0], 65535, "key tag", line, record);
                var algorithm = Number(fields[1], 255, "algorithm", line, record);
                var digestType = Number(fields[2], 255, "digest type", line, record);
                if (data.Length == 0 || !Tlsa.Hex.TryDecode(data, out var digest, out _))
                {
                    throw Invalid(line, record, "the digest is not hexadecimal");
                }

                anchors.Add(new TrustAnchorRecord(
                    $"{owner} IN DS {fields[0]} {fields[1]} {fields[2]} {data.ToUpperInvariant()}",
                    ds: new DsInfo(name, (ushort)tag, (byte)algorithm, (byte)digestType, digest)));
            }
            else
            {
                var flags = Number(fields[0], 65535, "flags", line, record);
                if (fields[1] != "3")
                {
                    throw Invalid(line, record, $"the protocol field is {fields[1]}, not 3");
                }

                var algorithm = Number(fields[2], 255, "algorithm", line, record);
                byte[] key;
                try
                {
                    key = Convert.FromBase64String(data);
                }
                catch (FormatException)
                {
                    throw Invalid(line, record, "the public key is not base64");
                }

                var rdata = new[] { (byte)(flags >> 8), (byte)flags, (byte)3, (byte)algorithm }.Concat(key).ToArray();
                anchors.Add(new TrustAnchorRecord($"{owner} IN DNSKEY {fields[0]} 3 {fields[2]} {data}", key: new DnskeyInfo(name, rdata)));
            }
        }

        if (anchors.Count == 0)
        {
            throw new InvalidDataException(number == 0
                ? "The file holds no records: give DS or DNSKEY records in presentation format, e.g. '. IN DS 20326 8 2 E06D44B8…'."
                : "The file holds no DS or DNSKEY record: give the trust anchors in presentation format, e.g. '. IN DS 20326 8 2 E06D44B8…'.");
        }

        return anchors;
    }

    /// <summary>The records of the file with the line each starts on: comments removed, parentheses joined.</summary>
    private static IEnumerable<(int Line, string Record)> Records(string text)
    {
        var current = new StringBuilder();
        var depth = 0;
        var start = 0;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var comment = line.IndexOf(';');
            if (comment >= 0)
            {
                line = line.Substring(0, comment);
            }

            if (depth == 0 && (line.Trim().Length == 0 || line.TrimStart().StartsWith("$", StringComparison.Ordinal)))
            {
                continue;
            }

            if (depth == 0)
            {
                start = i + 1;
            }

            foreach (var c in line)
            {
                if (c == '(')
                {
                    depth++;
                    current.Append(' ');
                }
                else if (c == ')')
                {
                    depth = Math.Max(0, depth - 1);
                    current.Append(' ');
                }
                else
                {
                    current.Append(c);
                }
            }

            current.Append(' ');
            if (depth == 0)
            {
                yield return (start, current.ToString().Trim());
                current.Clear();
            }
        }

        if (current.ToString().Trim().Length > 0)
        {
            throw new InvalidDataException($"Line {start.ToString(CultureInfo.InvariantCulture)}: a '(' is never closed.");
        }
    }

    /// <summary>A TTL in seconds ("86400") or with BIND's units ("1D", "2h30m").</summary>
    private static bool IsTtl(string token) => TtlPattern.IsMatch(token);

    private static bool IsClass(string token) =>
        token.Equals("IN", StringComparison.OrdinalIgnoreCase) || token.Equals("CH", StringComparison.OrdinalIgnoreCase)
        || token.Equals("HS", StringComparison.OrdinalIgnoreCase) || token.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase);

    private static int Number(string value, int max, string what, int line, string record)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > max)
        {
            throw Invalid(line, record, $"the {what} '{value}' is not a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return n;
    }

    private static InvalidDataException Invalid(int line, string record, string why) =>
        new($"Line {line.ToString(CultureInfo.InvariantCulture)} ('{(record.Length > 60 ? record.Substring(0, 60) + "…" : record)}'): {why}.");
}

/// <summary>One anchor read by <see cref="TrustAnchorFile"/>: its normalised one-line text, and the DS or the DNSKEY.</summary>
internal sealed class TrustAnchorRecord
{
    public TrustAnchorRecord(string text, DsInfo? ds = null, DnskeyInfo? key = null)
    {
        Text = text;
        Ds = ds;
        Key = key;
    }

    public string Text { get; }

    public DsInfo? Ds { get; }

    public DnskeyInfo? Key { get; }
}
