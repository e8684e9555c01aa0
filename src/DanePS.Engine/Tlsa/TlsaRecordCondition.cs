namespace DanePS.Engine.Tlsa;

/// <summary>Whether a TLSA record can take part in DANE authentication at all.</summary>
public enum TlsaRecordCondition
{
    /// <summary>All fields are assigned values and the data fits the matching type.</summary>
    Usable,
    /// <summary>The usage is not one DanePS knows (RFC 6698 §7: treated as unusable).</summary>
    UnknownUsage,
    /// <summary>The selector is not one DanePS knows.</summary>
    UnknownSelector,
    /// <summary>The matching type is not one DanePS knows.</summary>
    UnknownMatchingType,
    /// <summary>The association data has the wrong length for its matching type.</summary>
    Malformed,
}
