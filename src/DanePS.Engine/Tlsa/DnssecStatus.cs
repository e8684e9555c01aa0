namespace DanePS.Engine.Tlsa;

/// <summary>DNSSEC status of an RRset, as a validating resolver vouches for it.</summary>
public enum DnssecStatus
{
    /// <summary>Nothing conclusive: timeout, transport error, or a resolver that does not validate.</summary>
    Indeterminate,
    /// <summary>Validated: the resolver set the AD bit.</summary>
    Secure,
    /// <summary>Validated as coming from an unsigned zone (no DS in the parent).</summary>
    Insecure,
    /// <summary>Validation failed: signatures missing, expired or wrong.</summary>
    Bogus,
}
