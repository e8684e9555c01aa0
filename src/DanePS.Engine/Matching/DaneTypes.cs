using System;
using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Checking;
using DanePS.Engine.Tlsa;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Matching;

/// <summary>Which DANE profile applies: SMTP (RFC 7672) treats PKIX usages as unusable.</summary>
public enum DaneProfile
{
    /// <summary>RFC 7671 rules for any TLS service.</summary>
    Generic,
    /// <summary>RFC 7672: opportunistic DANE TLS for SMTP; PKIX-TA(0) and PKIX-EE(1) are unusable.</summary>
    Smtp,
}

/// <summary>The matcher's overall answer.</summary>
public enum DaneMatchOutcome
{
    /// <summary>A usable TLSA record authenticates the chain.</summary>
    Authenticated,
    /// <summary>There are usable TLSA records, but none authenticates the chain.</summary>
    NotAuthenticated,
    /// <summary>No record is usable: DANE does not apply (this is not a mismatch).</summary>
    NoUsableRecords,
}

/// <summary>What became of one TLSA record.</summary>
public enum TlsaRecordOutcome
{
    /// <summary>The record authenticates the chain.</summary>
    Matched,
    /// <summary>The record matches nothing the server presented.</summary>
    NoMatch,
    /// <summary>A trust anchor matched, but the leaf does not carry a reference name.</summary>
    NameMismatch,
    /// <summary>A trust anchor matched, but a certificate below it is outside its validity period.</summary>
    CertificateExpired,
    /// <summary>The record would match, but there is no PKIX chain to a trusted root (PKIX usages).</summary>
    NoPkixChain,
    /// <summary>
    /// A trust anchor matched, but the chain up to it breaks a rule OpenSSL's verifier enforces: an issuer that is
    /// not a CA, a path length or name constraint, an unknown critical extension, a purpose other than TLS server.
    /// </summary>
    InvalidChain,
    /// <summary>The leaf's public key cannot be read: no client can complete a handshake with it, whatever DNS says.</summary>
    UnreadableLeafKey,
    /// <summary>PKIX usage under the SMTP profile (RFC 7672 §3.1.3).</summary>
    UnusableForProfile,
    /// <summary>Unassigned usage, selector or matching type.</summary>
    Unusable,
    /// <summary>Association data of the wrong length for its matching type.</summary>
    Malformed,
    /// <summary>A stronger digest is published for the same usage and selector (RFC 7671 §9).</summary>
    SupersededByStrongerDigest,
    /// <summary>The server presented no certificate to compare the record with (it was not reached).</summary>
    NotCompared,
}

/// <summary>What the matcher is asked.</summary>
public sealed class DaneMatchRequest
{
    /// <summary>The certificates exactly as the server sent them, leaf first.</summary>
    public IReadOnlyList<X509Certificate2> PresentedChain { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>The TLSA RRset.</summary>
    public IReadOnlyList<TlsaRecord> Records { get; set; } = Array.Empty<TlsaRecord>();

    /// <summary>Names the leaf must carry under DANE-TA and PKIX usages (TLSA base domain, MX host name, …).</summary>
    public IReadOnlyList<string> ReferenceNames { get; set; } = Array.Empty<string>();

    /// <summary>SMTP or generic rules.</summary>
    public DaneProfile Profile { get; set; } = DaneProfile.Generic;

    /// <summary>Roots for PKIX usages besides (or instead of) the system store.</summary>
    public IReadOnlyList<X509Certificate2> PkixRoots { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>Whether the system trust store counts for PKIX usages.</summary>
    public bool UseSystemTrustStore { get; set; } = true;

    /// <summary>The time at which validity periods are checked; now when null.</summary>
    public DateTimeOffset? ValidationTime { get; set; }
}

/// <summary>One TLSA record, as text, and what the matcher made of it.</summary>
public sealed class TlsaRecordEvaluation
{
    private readonly TlsaRecord _record;

    internal TlsaRecordEvaluation(TlsaRecord record, TlsaRecordOutcome outcome, int? depth, string reason, bool trustAnchorNotSent = false)
    {
        _record = record;
        Record = record.ToString();
        Outcome = outcome;
        Depth = depth;
        Reason = reason;
        TrustAnchorNotSent = trustAnchorNotSent;
    }

    /// <summary>The record in presentation form ("3 1 1 5E79…"); <see cref="GetRecord"/> gives it as an object.</summary>
    public string Record { get; }

    /// <summary>The outcome.</summary>
    public TlsaRecordOutcome Outcome { get; }

    /// <summary>Depth in the verified chain where the record matched a certificate or key (leaf = 0), if it did.</summary>
    public int? Depth { get; }

    /// <summary>Why, in words.</summary>
    public string Reason { get; }

    /// <summary>A DANE-TA record that could only match an issuer the server does not send (RFC 7671 §5.2.2 asks servers to send it).</summary>
    public bool TrustAnchorNotSent { get; }

    /// <summary>The record as an object (with its owner name, TTL and DNSSEC status when it was read from DNS).</summary>
    public TlsaRecord GetRecord() => _record;

    /// <inheritdoc />
    public override string ToString() => $"{Record}: {Outcome} ({Reason})";

    /// <summary>A record the server presented nothing to compare with.</summary>
    internal static TlsaRecordEvaluation NotCompared(TlsaRecord record) =>
        new(record, TlsaRecordOutcome.NotCompared, null, $"{record.ToShortString()} was not compared: the server presented no certificate.");
}

/// <summary>The matcher's verdict on a chain and an RRset.</summary>
public sealed class DaneMatchResult
{
    internal DaneMatchResult(DaneMatchOutcome outcome, TlsaRecordEvaluation? match, IReadOnlyList<TlsaRecordEvaluation> evaluations, int verifiedChainLength, bool? nameMatched)
    {
        Outcome = outcome;
        MatchedEvaluation = match;
        Records = ReadableList.Of(evaluations, "\n");
        VerifiedChainLength = verifiedChainLength;
        NameMatched = nameMatched;
    }

    /// <summary>Authenticated, not authenticated, or no usable records.</summary>
    public DaneMatchOutcome Outcome { get; }

    /// <summary>
    /// True when a DANE client would accept the chain: a record matched (Outcome Authenticated) and the records can be
    /// used: given locally, or read from DNS as Secure.
    /// </summary>
    public bool IsAuthenticated => Outcome == DaneMatchOutcome.Authenticated && Verdict == DaneVerdict.Pass;

    /// <summary>
    /// DNSSEC status of the records when they were read from DNS (Get-TlsaRecord output): the least trustworthy one any
    /// record carries. Null for records given as text or objects, which are taken as the user vouches for them.
    /// </summary>
    public DnssecStatus? DnssecStatus => DaneApplicability.StatusOf(RecordObjects);

    /// <summary>
    /// What a DANE client concludes, by the same rule as Test-DaneEndpoint: Pass or Fail by the match; NotDane when no
    /// record is usable or the records are Insecure; DnssecFailure when they are Bogus or Indeterminate. The match itself
    /// is computed either way and stays in <see cref="Outcome"/>.
    /// </summary>
    public DaneVerdict Verdict => DaneApplicability.ForRecords(RecordObjects)?.Verdict ?? Outcome switch
    {
        DaneMatchOutcome.Authenticated => DaneVerdict.Pass,
        DaneMatchOutcome.NoUsableRecords => DaneVerdict.NotDane,
        _ => DaneVerdict.Fail,
    };

    /// <summary>The record that authenticated the chain, as text ("3 1 1 5E79…").</summary>
    public string? MatchedRecord => MatchedEvaluation?.Record;

    /// <summary>Depth of the match (leaf = 0).</summary>
    public int? MatchedDepth => MatchedEvaluation?.Depth;

    /// <summary>Every record, once, in RRset order, with its outcome.</summary>
    public ReadableList<TlsaRecordEvaluation> Records { get; }

    /// <summary>How many of the presented certificates form a signature-verified chain from the leaf.</summary>
    public int VerifiedChainLength { get; }

    /// <summary>The names the leaf was checked against (for DANE-TA and PKIX usages).</summary>
    public ReadableList<string> ReferenceNames { get; internal set; } = ReadableList.Empty<string>();

    /// <summary>Whether the leaf carries a reference name (null when no name check was needed).</summary>
    public bool? NameMatched { get; }

    /// <summary>
    /// One line a person can act on, e.g. "3 1 1 … matched EE certificate at depth 0"; for records that are not Secure,
    /// first that DANE does not apply or that they cannot be trusted.
    /// </summary>
    public string Summary => DaneApplicability.ForRecords(RecordObjects) is { } dnssec
        ? $"{dnssec.Reason} The match on its own: {MatchSummary}"
        : MatchSummary;

    /// <summary>The evaluation that authenticated the chain.</summary>
    internal TlsaRecordEvaluation? MatchedEvaluation { get; }

    private IEnumerable<TlsaRecord> RecordObjects => Records.Select(e => e.GetRecord());

    private string MatchSummary => Outcome switch
    {
        DaneMatchOutcome.Authenticated => MatchedEvaluation!.Reason,
        DaneMatchOutcome.NoUsableRecords => "No usable TLSA record: DANE does not apply.",
        _ => "No usable TLSA record matches the presented chain.",
    };

    /// <summary>The matched record as an object, or null.</summary>
    public TlsaRecord? GetMatchedRecord() => MatchedEvaluation?.GetRecord();

    /// <inheritdoc />
    public override string ToString() => $"{Verdict}: {Summary}";
}
