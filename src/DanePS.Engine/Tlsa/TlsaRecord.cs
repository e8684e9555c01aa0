using System;
using System.Globalization;
using System.Linq;

namespace DanePS.Engine.Tlsa;

/// <summary>
/// One TLSA record's data: usage, selector, matching type and certificate association data.
/// Values outside the assigned ranges are kept and marked unusable rather than rejected (RFC 6698 §7, RFC 7671 §4).
/// </summary>
public class TlsaRecord : IEquatable<TlsaRecord>
{
    private const int MaxPresentationLength = 64 * 1024;
    private static readonly char[] Separators = { ' ', '\t', '\r', '\n' };
    private readonly byte[] _data;

    /// <summary>Creates a record from its wire values.</summary>
    public TlsaRecord(byte usage, byte selector, byte matchingType, byte[] associationData)
    {
        if (associationData is null)
        {
            throw new ArgumentNullException(nameof(associationData));
        }

        Usage = (TlsaUsage)usage;
        Selector = (TlsaSelector)selector;
        MatchingType = (TlsaMatchingType)matchingType;
        _data = (byte[])associationData.Clone();
        Condition = Classify(usage, selector, matchingType, _data.Length, out var problem);
        Problem = problem;
    }

    /// <summary>Creates a record from typed values.</summary>
    public TlsaRecord(TlsaUsage usage, TlsaSelector selector, TlsaMatchingType matchingType, byte[] associationData)
        : this((byte)usage, (byte)selector, (byte)matchingType, associationData)
    {
    }

    /// <summary>Copies another record's data (for derived types that add DNS context).</summary>
    protected TlsaRecord(TlsaRecord other)
        : this((byte)(other ?? throw new ArgumentNullException(nameof(other))).Usage, (byte)other.Selector, (byte)other.MatchingType, other._data)
    {
    }

    /// <summary>Certificate usage; may be an unassigned value.</summary>
    public TlsaUsage Usage { get; }

    /// <summary>Selector; may be an unassigned value.</summary>
    public TlsaSelector Selector { get; }

    /// <summary>Matching type; may be an unassigned value.</summary>
    public TlsaMatchingType MatchingType { get; }

    /// <summary>Certificate association data as upper-case hex.</summary>
    public string AssociationData => Hex.Encode(_data);

    /// <summary>Whether the record can take part in authentication, and if not, why.</summary>
    public TlsaRecordCondition Condition { get; }

    /// <summary>True when <see cref="Condition"/> is <see cref="TlsaRecordCondition.Usable"/>.</summary>
    public bool IsUsable => Condition == TlsaRecordCondition.Usable;

    /// <summary>Why the record is unusable, or null.</summary>
    public string? Problem { get; }

    /// <summary>RFC 7218 mnemonic form, e.g. "DANE-EE SPKI SHA2-256".</summary>
    public string Mnemonic => $"{UsageMnemonic(Usage)} {SelectorMnemonic(Selector)} {MatchingMnemonic(MatchingType)}";

    /// <summary>A copy of the association data.</summary>
    public byte[] GetAssociationData() => (byte[])_data.Clone();

    internal byte[] DataNoCopy => _data;

    /// <summary>Parses presentation format: "3 1 1 5E79 1D0C…", mnemonics, or a whole zone-file line.</summary>
    /// <exception cref="FormatException">The text is not a TLSA record.</exception>
    public static TlsaRecord Parse(string text)
    {
        if (!TryParse(text, out var record, out var error))
        {
            throw new FormatException(error);
        }

        return record!;
    }

    /// <summary>Parses presentation format; returns false and a reason on failure.</summary>
    public static bool TryParse(string? text, out TlsaRecord? record, out string? error)
    {
        record = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The TLSA text is empty.";
            return false;
        }

        if (text!.Length > MaxPresentationLength)
        {
            error = $"The TLSA text is longer than {MaxPresentationLength} characters.";
            return false;
        }

        var tokens = text.Replace("(", " ").Replace(")", " ")
            .Split(Separators, StringSplitOptions.RemoveEmptyEntries).ToList();

        // A whole resource record line ("_25._tcp.mx.example. 300 IN TLSA 3 1 1 …"): keep what follows the type.
        var typeIndex = tokens.FindIndex(t => string.Equals(t, "TLSA", StringComparison.OrdinalIgnoreCase));
        if (typeIndex >= 0)
        {
            tokens = tokens.Skip(typeIndex + 1).ToList();
        }

        if (tokens.Count < 4)
        {
            error = $"'{Shorten(text)}' is not a TLSA record: expected usage, selector, matching type and hex data.";
            return false;
        }

        if (!TryField(tokens[0], typeof(TlsaUsage), out var usage, out error) ||
            !TryField(tokens[1], typeof(TlsaSelector), out var selector, out error) ||
            !TryField(tokens[2], typeof(TlsaMatchingType), out var matching, out error))
        {
            error = $"'{Shorten(text)}' is not a TLSA record: {error}.";
            return false;
        }

        if (!Hex.TryDecode(string.Concat(tokens.Skip(3)), out var data, out var hexError))
        {
            error = $"'{Shorten(text)}' is not a TLSA record: {hexError}.";
            return false;
        }

        if (data.Length == 0)
        {
            error = $"'{Shorten(text)}' has no association data.";
            return false;
        }

        record = new TlsaRecord(usage, selector, matching, data);
        error = null;
        return true;
    }

    /// <summary>Canonical presentation: "3 1 1 HEX".</summary>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", (byte)Usage, (byte)Selector, (byte)MatchingType, AssociationData);

    /// <summary>Abbreviated form for messages: "3 1 1 5E791D0C…".</summary>
    public string ToShortString()
    {
        var hex = AssociationData;
        return string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", (byte)Usage, (byte)Selector, (byte)MatchingType, hex.Length > 12 ? hex.Substring(0, 12) + "…" : hex);
    }

    /// <inheritdoc />
    public bool Equals(TlsaRecord? other) =>
        other is not null && Usage == other.Usage && Selector == other.Selector && MatchingType == other.MatchingType && _data.SequenceEqual(other._data);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TlsaRecord);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = ((int)Usage * 31) + ((int)Selector * 7) + (int)MatchingType;
            foreach (var b in _data.Take(16))
            {
                hash = (hash * 31) + b;
            }

            return hash;
        }
    }

    /// <summary>Expected association data length for a matching type, or null when any length is allowed.</summary>
    public static int? ExpectedLength(TlsaMatchingType matchingType) => matchingType switch
    {
        TlsaMatchingType.Sha256 => 32,
        TlsaMatchingType.Sha512 => 64,
        _ => null,
    };

    internal static string UsageMnemonic(TlsaUsage usage) => TlsaMnemonic.NameOf(usage);

    internal static string SelectorMnemonic(TlsaSelector selector) => TlsaMnemonic.NameOf(selector);

    internal static string MatchingMnemonic(TlsaMatchingType matching) => TlsaMnemonic.NameOf(matching);

    private static bool TryField(string token, Type field, out byte value, out string? error)
    {
        error = null;
        if (TlsaMnemonic.TryParse(field, token, out value))
        {
            return true;
        }

        error = $"'{token}' is neither a number from 0 to 255 nor one of {TlsaMnemonic.Describe(field)}";
        return false;
    }

    private static TlsaRecordCondition Classify(byte usage, byte selector, byte matching, int length, out string? problem)
    {
        if (usage > 3)
        {
            problem = $"Usage {usage} is not an assigned certificate usage (0-3).";
            return TlsaRecordCondition.UnknownUsage;
        }

        if (selector > 1)
        {
            problem = $"Selector {selector} is not an assigned selector (0-1).";
            return TlsaRecordCondition.UnknownSelector;
        }

        if (matching > 2)
        {
            problem = $"Matching type {matching} is not an assigned matching type (0-2).";
            return TlsaRecordCondition.UnknownMatchingType;
        }

        var expected = ExpectedLength((TlsaMatchingType)matching);
        if (expected is not null && expected != length)
        {
            problem = $"{MatchingMnemonic((TlsaMatchingType)matching)} data must be {expected} bytes, but this record has {length}.";
            return TlsaRecordCondition.Malformed;
        }

        problem = null;
        return TlsaRecordCondition.Usable;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text.Trim() : text.Trim().Substring(0, 57) + "...";
}
