namespace DanePS.Engine.Dns;

/// <summary>Who decides whether DNS answers are DNSSEC-secure.</summary>
public enum DnssecValidationMode
{
    /// <summary>The resolver's AD bit when the resolver is on loopback and validates; DanePS's own validation otherwise.</summary>
    Auto,

    /// <summary>The resolver's AD bit, believed only from a resolver found to validate.</summary>
    Resolver,

    /// <summary>DanePS validates the chain of trust itself, from the trust anchors, whatever the resolver does.</summary>
    Local,
}
