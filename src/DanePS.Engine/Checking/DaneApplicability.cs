using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Checking;

/// <summary>
/// The one rule on what DNSSEC lets a DANE client do with what DNS says (RFC 6698 §4.1, RFC 7672 §2.2): TLSA records
/// or an MX RRset from an unsigned zone (Insecure) mean DANE does not apply; Bogus or Indeterminate ones cannot be
/// trusted either way. Test-DaneEndpoint, Test-DaneMailDomain and Test-TlsaRecord all judge by it.
/// </summary>
internal static class DaneApplicability
{
    /// <summary>Whether TLSA records of this status can be used: Secure, or of unknown status (given locally).</summary>
    public static bool TlsaAllowsDane(DnssecStatus? status) => status is null or DnssecStatus.Secure;

    /// <summary>Nothing to say (null) when the TLSA RRset is Secure or its status is unknown (records given locally).</summary>
    public static DnssecJudgement? ForTlsa(DnssecStatus? status, string ownerName) => status switch
    {
        _ when TlsaAllowsDane(status) => null,
        DnssecStatus.Insecure => new(DaneVerdict.NotDane,
            $"The TLSA records at {ownerName} are Insecure (from an unsigned zone): DANE does not apply; a DANE client does not use them."),
        DnssecStatus.Bogus => new(DaneVerdict.DnssecFailure,
            $"The TLSA records at {ownerName} are Bogus (DNSSEC validation failed): they cannot be trusted, and a DANE client does not use them and defers delivery."),
        _ => new(DaneVerdict.DnssecFailure,
            $"The TLSA records at {ownerName} are Indeterminate (no validated answer, e.g. from a resolver that does not validate): they cannot be trusted, and a DANE client does not use them."),
    };

    /// <summary>
    /// The MX rule (RFC 7672 §2.2.1): DANE applies to a mail domain's hosts only when its MX RRset is Secure; a host
    /// checked on its own (no MX RRset) is judged by its TLSA records alone.
    /// </summary>
    public static bool MxAllowsDane(DnssecStatus? status) => status is null or DnssecStatus.Secure;

    /// <summary>Nothing to say (null) when the MX RRset is Secure or there is none (a host checked on its own).</summary>
    public static DnssecJudgement? ForMx(DnssecStatus? status, string? mailDomain) => status switch
    {
        _ when MxAllowsDane(status) => null,
        DnssecStatus.Insecure => new(DaneVerdict.NotDane,
            $"The MX RRset of {mailDomain} is Insecure (from an unsigned zone): DANE does not apply to this domain (RFC 7672 §2.2.1)."),
        _ => new(DaneVerdict.DnssecFailure,
            $"The MX RRset of {mailDomain} is {status}: it cannot be trusted, so DANE cannot be applied to this domain (RFC 7672 §2.2.1)."),
    };

    /// <summary>
    /// The judgement on records read from DNS (each carries its RRset's status): by the least trustworthy status any of
    /// them carries, Bogus before Indeterminate before Insecure. Null when all are Secure or none came from DNS.
    /// </summary>
    public static DnssecJudgement? ForRecords(IEnumerable<TlsaRecord> records)
    {
        var worst = records.OfType<DnsTlsaRecord>().Where(r => !TlsaAllowsDane(r.DnssecStatus))
            .OrderBy(r => Rank(r.DnssecStatus!.Value)).FirstOrDefault();
        return worst is null ? null : ForTlsa(worst.DnssecStatus, worst.OwnerName);
    }

    /// <summary>The least trustworthy status of records read from DNS; null when none carries one.</summary>
    public static DnssecStatus? StatusOf(IEnumerable<TlsaRecord> records) =>
        records.OfType<DnsTlsaRecord>().Where(r => r.DnssecStatus is not null).Select(r => r.DnssecStatus!.Value)
            .OrderBy(Rank).Select(s => (DnssecStatus?)s).FirstOrDefault();

    private static int Rank(DnssecStatus status) => status switch
    {
        DnssecStatus.Bogus => 0,
        DnssecStatus.Indeterminate => 1,
        DnssecStatus.Insecure => 2,
        _ => 3,
    };
}
