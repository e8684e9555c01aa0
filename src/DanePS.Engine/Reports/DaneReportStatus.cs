namespace DanePS.Engine.Reports;

/// <summary>
/// How a report (or one endpoint of it) stands, with the values of a Nagios plugin's exit code (and of the process
/// exit code a scheduled run returns): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
/// </summary>
public enum DaneReportStatus
{
    /// <summary>Every DANE endpoint passes (NotDane endpoints and information findings count as OK).</summary>
    Ok = 0,
    /// <summary>Nothing fails, but there are warnings: stale or too many records, a certificate or signature expiring.</summary>
    Warning = 1,
    /// <summary>A DANE client would not connect somewhere: Fail, DnssecFailure, Unreachable or NoSuchHost.</summary>
    Critical = 2,
    /// <summary>Nothing was checked: the report has no results.</summary>
    Unknown = 3,
}
