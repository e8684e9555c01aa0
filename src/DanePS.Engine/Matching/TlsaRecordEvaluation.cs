using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Matching;

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
