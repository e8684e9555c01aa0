using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Checking;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Matching;

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
