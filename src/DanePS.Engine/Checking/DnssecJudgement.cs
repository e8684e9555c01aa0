namespace DanePS.Engine.Checking;

/// <summary>What DNSSEC lets a DANE client conclude, and why in words.</summary>
internal readonly struct DnssecJudgement
{
    public DnssecJudgement(DaneVerdict verdict, string reason)
    {
        Verdict = verdict;
        Reason = reason;
    }

    /// <summary>NotDane (an unsigned zone: DANE does not apply) or DnssecFailure (the data cannot be trusted).</summary>
    public DaneVerdict Verdict { get; }

    /// <summary>One sentence a person can act on.</summary>
    public string Reason { get; }
}
