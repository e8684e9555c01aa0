using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DanePS.Engine.Tlsa;

/// <summary>
/// The RFC 7218 mnemonics of the TLSA fields ("DANE-EE", "SPKI", "SHA2-256", …): one table for parsing record text,
/// binding cmdlet parameters and completing them on Tab. Each field also takes its number and its .NET enum name.
/// </summary>
public static class TlsaMnemonic
{
    private static readonly KeyValuePair<string, byte>[] Usages =
    {
        new("PKIX-TA", 0), new("PKIX-EE", 1), new("DANE-TA", 2), new("DANE-EE", 3), new("PrivCert", 255),
    };

    private static readonly KeyValuePair<string, byte>[] Selectors =
    {
        new("Cert", 0), new("SPKI", 1), new("PrivSel", 255),
    };

    private static readonly KeyValuePair<string, byte>[] MatchingTypes =
    {
        new("Full", 0), new("SHA2-256", 1), new("SHA2-512", 2), new("PrivMatch", 255),
    };

    /// <summary>The mnemonic of a value ("DANE-EE"), or its number when it has none.</summary>
    public static string NameOf(TlsaUsage usage) => Name(Usages, (byte)usage);

    /// <summary>The mnemonic of a value ("SPKI"), or its number when it has none.</summary>
    public static string NameOf(TlsaSelector selector) => Name(Selectors, (byte)selector);

    /// <summary>The mnemonic of a value ("SHA2-256"), or its number when it has none.</summary>
    public static string NameOf(TlsaMatchingType matchingType) => Name(MatchingTypes, (byte)matchingType);

    /// <summary>
    /// Reads one field of type <paramref name="field"/> (<see cref="TlsaUsage"/>, <see cref="TlsaSelector"/> or
    /// <see cref="TlsaMatchingType"/>) from a number 0-255, an RFC 7218 mnemonic or the enum name, in any case.
    /// </summary>
    public static bool TryParse(Type field, string? text, out byte value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var token = text!.Trim();
        if (byte.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        foreach (var kv in Table(field))
        {
            if (string.Equals(kv.Key, token, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(Enum.GetName(field, kv.Value), token, StringComparison.OrdinalIgnoreCase))
            {
                value = kv.Value;
                return true;
            }
        }

        return false;
    }

    /// <summary>"DANE-EE (3)"-style list of a field's mnemonics for messages.</summary>
    public static string Describe(Type field) =>
        string.Join(", ", Table(field).Select(kv => string.Format(CultureInfo.InvariantCulture, "{0} ({1})", kv.Key, kv.Value)));

    /// <summary>The field's name for messages: "certificate usage", "selector", "matching type".</summary>
    public static string FieldName(Type field) => field == typeof(TlsaUsage) ? "certificate usage" : field == typeof(TlsaSelector) ? "selector" : "matching type";

    private static KeyValuePair<string, byte>[] Table(Type field) =>
        field == typeof(TlsaUsage) ? Usages
        : field == typeof(TlsaSelector) ? Selectors
        : field == typeof(TlsaMatchingType) ? MatchingTypes
        : throw new ArgumentException($"{field} is not a TLSA field.", nameof(field));

    private static string Name(KeyValuePair<string, byte>[] table, byte value) =>
        table.Where(kv => kv.Value == value).Select(kv => kv.Key).FirstOrDefault() ?? value.ToString(CultureInfo.InvariantCulture);
}
