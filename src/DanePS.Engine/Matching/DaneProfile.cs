namespace DanePS.Engine.Matching;

/// <summary>Which DANE profile applies: SMTP (RFC 7672) treats PKIX usages as unusable.</summary>
public enum DaneProfile
{
    /// <summary>RFC 7671 rules for any TLS service.</summary>
    Generic,
    /// <summary>RFC 7672: opportunistic DANE TLS for SMTP; PKIX-TA(0) and PKIX-EE(1) are unusable.</summary>
    Smtp,
}
