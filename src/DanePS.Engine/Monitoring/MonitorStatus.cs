namespace DanePS.Engine.Monitoring;

/// <summary>How a monitor run went, worst first wins; its number is the process exit code (as Nagios plugins use them).</summary>
public enum MonitorStatus
{
    /// <summary>0: every target passes and nothing warns.</summary>
    Ok = 0,

    /// <summary>1: warnings only (warning findings, targets without DANE, an alert that could not be delivered).</summary>
    Warning = 1,

    /// <summary>2: a target fails (Fail, DnssecFailure, Unreachable, NoSuchHost) or its check could not be made.</summary>
    Failure = 2,

    /// <summary>3: the run could not be made (invalid settings, a resolver that does not answer, an unusable alert state file).</summary>
    CouldNotRun = 3,
}
