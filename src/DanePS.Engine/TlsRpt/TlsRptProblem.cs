namespace DanePS.Engine.TlsRpt;

/// <summary>Why a report (a file, a mail or one of its attachments) could not be read.</summary>
public enum TlsRptProblem
{
    /// <summary>The content is not JSON, or JSON nested deeper than the limit.</summary>
    InvalidJson,

    /// <summary>The JSON is not an RFC 8460 report: a required field is missing or of the wrong kind.</summary>
    NotAReport,

    /// <summary>The gzip data is damaged or ends early.</summary>
    InvalidGzip,

    /// <summary>The content (or what gzip expands to) is larger than the limit: a gzip bomb, or a report too large to be real.</summary>
    TooLarge,

    /// <summary>More policies, failure details or list items than the limit.</summary>
    TooManyEntries,

    /// <summary>A mail without an attachment of a TLS-RPT type (application/tlsrpt+gzip or application/tlsrpt+json).</summary>
    NoReportInMessage,

    /// <summary>A format DanePS does not read (an Outlook .msg file: save the mail as .eml, or read the mailbox over IMAP).</summary>
    UnsupportedFormat,
}
