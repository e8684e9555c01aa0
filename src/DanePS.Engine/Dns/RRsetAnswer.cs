using System;
using System.Collections.Generic;
using DanePS.Engine.Tlsa;
using DnsClient.Protocol;

namespace DanePS.Engine.Dns;

/// <summary>One RRset as the resolver answered it, with a DNSSEC status that is never guessed.</summary>
internal sealed class RRsetAnswer
{
    public string QueryName { get; set; } = string.Empty;

    public string FinalName { get; set; } = string.Empty;

    public DnssecStatus Status { get; set; } = DnssecStatus.Indeterminate;

    public List<DnsResourceRecord> Records { get; } = new();

    public List<string> CnameChain { get; } = new();

    public bool NxDomain { get; set; }

    public DnsFailure? Failure { get; set; }

    public string? FailureMessage { get; set; }

    public DateTimeOffset? SignatureExpiration { get; set; }

    /// <summary>Whether DanePS validated this answer itself (Local mode), rather than believing the resolver's AD bit.</summary>
    public bool ValidatedLocally { get; set; }

    /// <summary>Why a locally validated answer is Insecure or Bogus (e.g. "signature expired: …"); null when Secure.</summary>
    public string? ValidationReason { get; set; }

    /// <summary>A denial (NXDOMAIN/NODATA) that can be believed: signed, or provably from an unsigned zone.</summary>
    public bool TrustedDenial => Failure is null && Records.Count == 0 && Status is DnssecStatus.Secure or DnssecStatus.Insecure;

    public string Denial => NxDomain ? "NXDOMAIN" : "NODATA";
}
