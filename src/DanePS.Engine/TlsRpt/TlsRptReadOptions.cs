using System;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// The limits every report read is held to. A report comes from anyone who can send mail to the reporting address,
/// so each is bounded: the bytes read, what gzip may expand to, the JSON nesting, and the number of entries.
/// The defaults are far above what the large reporters send (a day of Google's or Microsoft's reports for a busy
/// domain is a few kilobytes, a handful of policies and tens of failure details).
/// </summary>
public sealed class TlsRptReadOptions
{
    /// <summary>The largest report JSON, as read or after gzip expansion (default 10 MB).</summary>
    public long MaxReportBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>The largest mail (.eml file or IMAP message) read (default 25 MB).</summary>
    public long MaxMessageBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>The most policies in one report (default 1000).</summary>
    public int MaxPolicies { get; set; } = 1000;

    /// <summary>The most failure-details entries in one report, over all its policies (default 10000).</summary>
    public int MaxFailureDetails { get; set; } = 10000;

    /// <summary>The most items in a list of strings (policy-string, mx-host) (default 1000).</summary>
    public int MaxListItems { get; set; } = 1000;

    /// <summary>The deepest JSON nesting (default 16; a report nests 4 deep).</summary>
    public int MaxJsonDepth { get; set; } = 16;

    internal void Validate()
    {
        if (MaxReportBytes <= 0 || MaxMessageBytes <= 0 || MaxPolicies <= 0 || MaxFailureDetails < 0 || MaxListItems <= 0 || MaxJsonDepth < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(TlsRptReadOptions), "TLS-RPT limits must be positive (JSON depth at least 4).");
        }
    }
}
