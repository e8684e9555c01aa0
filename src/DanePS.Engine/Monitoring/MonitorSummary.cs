using System;
using System.Collections.Generic;
using System.Globalization;
using DanePS.Engine.Alerts;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// The last object of every Invoke-DaneMonitor run: what was checked, how it went by verdict, what was told to whom,
/// and the exit code a scheduler reads (<c>exit (Invoke-DaneMonitor -Path m.psd1 | Select-Object -Last 1).ExitCode</c>).
/// </summary>
public sealed class MonitorSummary
{
    internal MonitorSummary(DateTimeOffset startTime, int run)
    {
        StartTime = startTime;
        Run = run;
    }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>The run's number in watch mode (1 for the first, and for run-once).</summary>
    public int Run { get; }

    /// <summary>How long the run took, in milliseconds.</summary>
    public double ElapsedMs { get; internal set; }

    /// <summary>Ok, Warning, Failure or CouldNotRun.</summary>
    public MonitorStatus Status { get; internal set; }

    /// <summary>The process exit code: 0 all pass, 1 warnings, 2 failures, 3 could not run.</summary>
    public int ExitCode => (int)Status;

    /// <summary>Why the run could not be made (null when it could).</summary>
    public string? Reason { get; internal set; }

    /// <summary>Endpoints (host and port) checked.</summary>
    public int Endpoints { get; internal set; }

    /// <summary>Mail domains checked.</summary>
    public int MailDomains { get; internal set; }

    /// <summary>Targets (endpoints and mail domains) that pass.</summary>
    public int Pass { get; internal set; }

    /// <summary>Targets whose records match nothing the server presents.</summary>
    public int Fail { get; internal set; }

    /// <summary>Targets with a bogus or untrustworthy DNS answer.</summary>
    public int DnssecFailure { get; internal set; }

    /// <summary>Targets without usable, secure TLSA records.</summary>
    public int NotDane { get; internal set; }

    /// <summary>Targets no TLS session could be had with.</summary>
    public int Unreachable { get; internal set; }

    /// <summary>Targets whose name does not exist.</summary>
    public int NoSuchHost { get; internal set; }

    /// <summary>Targets whose check stopped on an error.</summary>
    public int Errors { get; internal set; }

    /// <summary>Targets with warning findings (whatever their verdict).</summary>
    public int Warnings { get; internal set; }

    /// <summary>Whether a TLS-RPT mailbox was to be read in this run.</summary>
    public bool TlsRptMailbox { get; internal set; }

    /// <summary>TLS-RPT report mails or attachments read from the mailbox that held a report.</summary>
    public int TlsRptReports { get; internal set; }

    /// <summary>Mails of the TLS-RPT mailbox that held no readable report (told as verbose lines, not alerted).</summary>
    public int TlsRptUnreadable { get; internal set; }

    /// <summary>Failures the senders reported: one per policy domain, receiving MX host and result type.</summary>
    public int TlsRptSummaries { get; internal set; }

    /// <summary>Failed sessions the senders reported, over every summary.</summary>
    public long TlsRptFailedSessions { get; internal set; }

    /// <summary>Why the TLS-RPT mailbox could not be read (null when it was, or there is none).</summary>
    public string? TlsRptError { get; internal set; }

    /// <summary>Alerts sent.</summary>
    public int AlertsSent { get; internal set; }

    /// <summary>Alerts held back: the same fault was announced within the suppression window.</summary>
    public int AlertsSuppressed { get; internal set; }

    /// <summary>Alerts that could not be delivered (the next run tries again).</summary>
    public int AlertsFailed { get; internal set; }

    /// <summary>Every alert of the run, sent, held back or failed.</summary>
    public ReadableList<AlertDelivery> Alerts { get; internal set; } = ReadableList.Empty<AlertDelivery>();

    /// <summary>The settings file, if the settings came from one.</summary>
    public string? SettingsPath { get; internal set; }

    /// <summary>What was wrong with the settings, when that stopped the run.</summary>
    public ReadableList<SettingsProblem> Problems { get; internal set; } = ReadableList.Empty<SettingsProblem>();

    /// <summary>A summary for a run that could not start.</summary>
    public static MonitorSummary CouldNotStart(string reason, IReadOnlyList<SettingsProblem>? problems, string? settingsPath) => new(DateTimeOffset.UtcNow, 1)
    {
        Status = MonitorStatus.CouldNotRun,
        Reason = reason,
        Problems = ReadableList.Of(problems ?? Array.Empty<SettingsProblem>(), "\n"),
        SettingsPath = settingsPath,
    };

    /// <inheritdoc />
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "{0} (exit {1}): {2} endpoint(s), {3} mail domain(s): {4} pass, {5} fail, {6} DNSSEC failure, {7} not DANE, {8} unreachable, {9} no such host, {10} error(s); {11} warning(s); alerts {12} sent, {13} suppressed, {14} failed;{17} {15:0.0} s{16}",
        Status, ExitCode, Endpoints, MailDomains, Pass, Fail, DnssecFailure, NotDane, Unreachable, NoSuchHost, Errors, Warnings, AlertsSent, AlertsSuppressed, AlertsFailed, ElapsedMs / 1000,
        Reason is null ? string.Empty : ": " + Reason,
        !TlsRptMailbox ? string.Empty : TlsRptError is null
            ? string.Format(CultureInfo.InvariantCulture, " TLS-RPT {0} report(s): {1} failure(s), {2} failed session(s);", TlsRptReports, TlsRptSummaries, TlsRptFailedSessions)
            : " TLS-RPT mailbox unreadable;");
}
