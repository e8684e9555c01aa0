namespace DanePS.Engine.TlsRpt;

/// <summary>What one file, mail or attachment gave: a report, or why there is none.</summary>
public sealed class TlsRptItem
{
    private TlsRptItem(string source, TlsRptReport? report, TlsRptFormatException? error)
    {
        Source = source;
        Report = report;
        Error = error;
    }

    /// <summary>The file, or the mail and attachment.</summary>
    public string Source { get; }

    /// <summary>The report, when it could be read.</summary>
    public TlsRptReport? Report { get; }

    /// <summary>Why no report could be read.</summary>
    public TlsRptFormatException? Error { get; }

    internal static TlsRptItem Read(TlsRptReport report) => new(report.Source, report, null);

    internal static TlsRptItem Failed(TlsRptFormatException error) => new(error.Source, null, error);
}
