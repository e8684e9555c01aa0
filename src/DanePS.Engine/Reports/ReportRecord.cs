namespace DanePS.Engine.Reports;

/// <summary>One published TLSA record as a report shows it: the record and, when compared, what became of it.</summary>
internal sealed class ReportRecord
{
    public ReportRecord(string record, string? outcome, string? reason)
    {
        Record = record;
        Outcome = outcome;
        Reason = reason;
    }

    public string Record { get; }

    public string? Outcome { get; }

    public string? Reason { get; }
}
