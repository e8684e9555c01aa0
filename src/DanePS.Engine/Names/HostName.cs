using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace DanePS.Engine.Names;

/// <summary>
/// A host name as DanePS looks it up and connects to it: trimmed, lower case, without the trailing dot, in its
/// A-label (ASCII, IDNA) form for DNS and SNI, with its Unicode form for people. Every name a user gives
/// (-HostName, -Domain, -MailDomain) goes through <see cref="TryParse"/> before anything goes on the wire, so
/// a mistyped name is an error that says what is wrong, never a DNS query for nonsense or a zone-file line that
/// cannot load.
/// </summary>
public sealed class HostName : IEquatable<HostName>
{
    /// <summary>The longest name, in octets of its dotted A-label form (RFC 1035 §2.3.4: 255 on the wire).</summary>
    public const int MaxLength = 253;

    /// <summary>The longest label, in octets of its A-label form (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    // Longer input is refused before any work: even fully escaped, no host name comes near this.
    private const int MaxInputLength = 1024;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };
    private static readonly Regex DottedQuad = new("^[0-9]+(\\.[0-9]+){3}\\.?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex ServicePort = new("^_([0-9]{1,5})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private HostName(string ascii, string unicode)
    {
        Ascii = ascii;
        Unicode = unicode;
    }

    /// <summary>The name as DNS and SNI carry it: A-labels, lower case, no trailing dot ("xn--bcher-kva.example").</summary>
    public string Ascii { get; }

    /// <summary>The name for people: U-labels where the name is internationalised ("bücher.example"), else <see cref="Ascii"/>.</summary>
    public string Unicode { get; }

    /// <summary>True when the name has an internationalised label, so its two forms differ.</summary>
    public bool IsInternationalized => !string.Equals(Ascii, Unicode, StringComparison.Ordinal);

    /// <summary>Both forms when they differ, "bücher.example (xn--bcher-kva.example)", else the name.</summary>
    public string Display => IsInternationalized ? $"{Unicode} ({Ascii})" : Ascii;

    /// <summary>Parses a host name.</summary>
    /// <exception cref="HostNameFormatException">The text is not a host name; the message says why.</exception>
    public static HostName Parse(string? text) => TryParse(text, out var name, out var error) ? name! : throw error!;

    /// <summary>Parses a host name; on failure returns false and an exception whose message names the problem.</summary>
    public static bool TryParse(string? text, out HostName? name, out HostNameFormatException? error)
    {
        name = null;
        error = Check(text, out var ascii);
        if (error is not null)
        {
            return false;
        }

        name = new HostName(ascii!, ToUnicode(ascii!));
        return true;
    }

    /// <summary>The Unicode form of a name in A-label form (for display); the name itself when it has none or cannot be converted.</summary>
    public static string ToUnicode(string? asciiName)
    {
        if (string.IsNullOrEmpty(asciiName) || asciiName!.IndexOf("xn--", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return asciiName ?? string.Empty;
        }

        try
        {
            var trailingDot = asciiName.EndsWith(".", StringComparison.Ordinal);
            var unicode = Idn.GetUnicode(trailingDot ? asciiName.Substring(0, asciiName.Length - 1) : asciiName);
            return trailingDot ? unicode + "." : unicode;
        }
        catch (ArgumentException)
        {
            return asciiName; // a name from DNS that is not valid IDNA: show it as it is
        }
    }

    /// <inheritdoc />
    public override string ToString() => Ascii;

    /// <inheritdoc />
    public bool Equals(HostName? other) => other is not null && string.Equals(Ascii, other.Ascii, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HostName);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Ascii);

    private static HostNameFormatException? Check(string? text, out string? ascii)
    {
        ascii = null;
        if (text is null || text.Trim().Length == 0)
        {
            return Fail(text, HostNameProblem.Empty, "The host name is empty.");
        }

        var s = text.Trim();
        var quoted = Quote(s);
        if (s.Length > MaxInputLength)
        {
            return Fail(text, HostNameProblem.NameTooLong, $"{quoted} is not a host name: it is {s.Length} characters long; a name holds at most {MaxLength} octets.");
        }

        if (s.IndexOf("://", StringComparison.Ordinal) > 0)
        {
            var host = Uri.TryCreate(s, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : null;
            return Fail(text, HostNameProblem.Url, string.IsNullOrEmpty(host)
                ? $"{quoted} is a URL, not a host name: give the host name alone."
                : $"{quoted} is a URL, not a host name: give the host name alone ({host}).");
        }

        if (NotANameAtAll(text, s, quoted) is { } addressOrPort)
        {
            return addressOrPort;
        }

        // UTS #46 treats the ideographic and full-width full stops as dots; so do we, before splitting.
        s = s.Replace('\u3002', '.').Replace('\uFF0E', '.').Replace('\uFF61', '.');
        if (s == ".")
        {
            return Fail(text, HostNameProblem.Empty, "'.' is the DNS root, not a host name.");
        }

        if (s.EndsWith(".", StringComparison.Ordinal))
        {
            s = s.Substring(0, s.Length - 1); // a fully qualified name: the same name
        }

        var labels = s.Split('.');
        if (labels.Any(l => l.Length == 0))
        {
            return Fail(text, HostNameProblem.EmptyLabel, $"{quoted} is not a host name: it has an empty label (a leading dot or two dots in a row).");
        }

        if (labels.Length >= 2 && ServicePort.Match(labels[0]) is { Success: true } port && labels[1].StartsWith("_", StringComparison.Ordinal))
        {
            var rest = string.Join(".", labels.Skip(2));
            return Fail(text, HostNameProblem.ServiceLabels, rest.Length == 0
                ? $"{quoted} is the start of a TLSA owner name, not a host name: give the host name, and the port with -Port {port.Groups[1].Value}."
                : $"{quoted} is a TLSA owner name, not a host name: give the host name ({rest}) and the port with -Port {port.Groups[1].Value}.");
        }

        var asciiLabels = new List<string>(labels.Length);
        foreach (var label in labels)
        {
            if (CheckLabel(text, quoted, label, out var asciiLabel) is { } labelError)
            {
                return labelError;
            }

            asciiLabels.Add(asciiLabel!);
        }

        var joined = string.Join(".", asciiLabels);
        if (joined.Length > MaxLength)
        {
            return Fail(text, HostNameProblem.NameTooLong, $"{Quote(Shorten(s))} is not a host name: it is {joined.Length} octets long; a name holds at most {MaxLength}.");
        }

        if (asciiLabels[asciiLabels.Count - 1].All(c => c is >= '0' and <= '9'))
        {
            return Fail(text, HostNameProblem.NumericTopLevelLabel,
                $"{quoted} is not a host name: its last label is all digits, which no top-level domain is (RFC 3696 §2). If it is an address, note that DANE needs a host name.");
        }

        ascii = joined;
        return null;
    }

    /// <summary>IP literals and "host:port": the commonest things given where a host name belongs.</summary>
    private static HostNameFormatException? NotANameAtAll(string text, string s, string quoted)
    {
        const string needsName = "DANE needs a host name: the TLSA records are published under it (_25._tcp.HOST) and the certificate is checked against it. Give the name the address belongs to";
        var unbracketed = s.StartsWith("[", StringComparison.Ordinal) && s.IndexOf(']') is var close and > 0 ? s.Substring(1, close - 1) : s;
        if (unbracketed.IndexOf(':') >= 0 && System.Net.IPAddress.TryParse(unbracketed, out _))
        {
            return Fail(text, HostNameProblem.IPAddress, $"{quoted} is an IP address, not a host name. {needsName}.");
        }

        if (DottedQuad.IsMatch(s) && System.Net.IPAddress.TryParse(s.TrimEnd('.'), out _))
        {
            return Fail(text, HostNameProblem.IPAddress, $"{quoted} is an IP address, not a host name. {needsName}.");
        }

        var colon = s.LastIndexOf(':');
        if (colon > 0 && colon < s.Length - 1 && s.Substring(colon + 1).All(c => c is >= '0' and <= '9'))
        {
            var host = s.Substring(0, colon);
            var port = s.Substring(colon + 1);
            if (host.IndexOf(':') < 0)
            {
                return Fail(text, HostNameProblem.HostAndPort, $"{quoted} is a host name with a port: give the host name alone ({host}) and the port with -Port {port}.");
            }
        }

        return null;
    }

    private static HostNameFormatException? CheckLabel(string text, string quoted, string label, out string? ascii)
    {
        ascii = null;
        for (var i = 0; i < label.Length; i++)
        {
            var c = label[i];
            if (c < 0x80 && !IsLetterDigitHyphen(c))
            {
                return Fail(text, HostNameProblem.InvalidCharacter,
                    $"{quoted} is not a host name: {Describe(c)} is not allowed (a host name has letters, digits, hyphens and dots only).");
            }
        }

        if (label.All(c => c < 0x80))
        {
            ascii = label.ToLowerInvariant();
            if (ascii.StartsWith("xn--", StringComparison.Ordinal))
            {
                try
                {
                    Idn.GetUnicode(ascii);
                }
                catch (ArgumentException ex)
                {
                    return Fail(text, HostNameProblem.InvalidInternationalizedLabel, $"{quoted} is not a host name: its label '{label}' is not a valid A-label (IDNA Punycode).", ex);
                }
            }
        }
        else
        {
            try
            {
                ascii = Idn.GetAscii(label);
            }
            catch (ArgumentException ex)
            {
                return Fail(text, HostNameProblem.InvalidInternationalizedLabel,
                    $"{quoted} is not a host name: its label '{label}' cannot be converted to an A-label (IDNA): it holds characters an internationalised name may not use.", ex);
            }
        }

        if (ascii.Length > MaxLabelLength)
        {
            return Fail(text, HostNameProblem.LabelTooLong,
                $"{quoted} is not a host name: its label '{Shorten(label)}' is {ascii.Length} octets long; a label holds at most {MaxLabelLength}.");
        }

        if (ascii.StartsWith("-", StringComparison.Ordinal) || ascii.EndsWith("-", StringComparison.Ordinal))
        {
            return Fail(text, HostNameProblem.LeadingOrTrailingHyphen, $"{quoted} is not a host name: its label '{label}' begins or ends with a hyphen.");
        }

        return null;
    }

    private static bool IsLetterDigitHyphen(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-';

    private static string Describe(char c) => c switch
    {
        ' ' => "a space",
        '_' => "an underscore",
        _ when char.IsControl(c) => "the control character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        _ => $"'{c}'",
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('\'');
        foreach (var c in Shorten(s))
        {
            sb.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString());
        }

        return sb.Append('\'').ToString();
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s.Substring(0, 77) + "...";

    private static HostNameFormatException Fail(string? text, HostNameProblem problem, string message, Exception? inner = null) =>
        new(text, problem, message, inner);
}
