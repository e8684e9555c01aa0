using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Matching;

/// <summary>
/// The one statement of what a DANE profile changes: which profile a port gets by default, and which usages SMTP
/// cannot use. RFC 7672 §3.1.3: an SMTP client has no PKIX trust anchors it could agree on with every server, so
/// PKIX-TA(0) and PKIX-EE(1) records are unusable for SMTP. The matcher, the findings and a TLSA RRset's
/// <see cref="Dns.TlsaRecordSet.DaneApplies"/> all ask here.
/// </summary>
internal static class DaneProfileRules
{
    /// <summary>The profile a port gets unless one is asked for: SMTP's for port 25 (MTA to MTA), generic elsewhere.</summary>
    public static DaneProfile ForPort(int port) => port == 25 ? DaneProfile.Smtp : DaneProfile.Generic;

    /// <summary>Whether <paramref name="profile"/> makes <paramref name="usage"/> unusable (PKIX usages under SMTP).</summary>
    public static bool Excludes(this DaneProfile profile, TlsaUsage usage) =>
        profile == DaneProfile.Smtp && usage is TlsaUsage.PkixTa or TlsaUsage.PkixEe;

    /// <summary>A record a client following <paramref name="profile"/> uses: well-formed, assigned, and not excluded by the profile.</summary>
    public static bool IsUsableUnder(this TlsaRecord record, DaneProfile profile) =>
        record.IsUsable && !profile.Excludes(record.Usage);

    /// <summary>Why an excluded usage is unusable, e.g. "PKIX-EE(1) is unusable for SMTP (RFC 7672 §3.1.3)".</summary>
    public static string Exclusion(TlsaUsage usage) =>
        $"{TlsaRecord.UsageMnemonic(usage)}({(byte)usage}) is unusable for SMTP (RFC 7672 §3.1.3)";
}
