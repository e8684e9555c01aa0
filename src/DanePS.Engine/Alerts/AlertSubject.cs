using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DanePS.Engine.Alerts;

/// <summary>
/// What an alert is about: one endpoint (host and port, every address and key type checked), how bad its state is,
/// and the facts a person needs to fix it. Made from Test-DaneEndpoint / Test-DaneMailDomain results by
/// <see cref="DaneResultAlertAdapter"/>, the one place that reads those results.
/// </summary>
public sealed class AlertSubject
{
    /// <summary>Creates a subject; <see cref="Severity"/> and <see cref="Fault"/> follow from the checks and findings.</summary>
    public AlertSubject(
        string hostName,
        int? port,
        string? mailDomain,
        IReadOnlyList<AlertCheck> checks,
        string? tlsaOwnerName,
        string? dnssecStatus,
        IReadOnlyList<string> publishedRecords,
        IReadOnlyList<AlertFinding> findings)
        : this(hostName, port, mailDomain, checks, tlsaOwnerName, dnssecStatus, publishedRecords, findings, null)
    {
    }

    /// <summary>Creates a subject whose incident key is <paramref name="key"/> rather than "host:port" (e.g. a TLS-RPT failure).</summary>
    public AlertSubject(
        string hostName,
        int? port,
        string? mailDomain,
        IReadOnlyList<AlertCheck> checks,
        string? tlsaOwnerName,
        string? dnssecStatus,
        IReadOnlyList<string> publishedRecords,
        IReadOnlyList<AlertFinding> findings,
        string? key)
    {
        _key = key;
        HostName = hostName;
        Port = port;
        MailDomain = mailDomain;
        Checks = checks;
        TlsaOwnerName = tlsaOwnerName;
        DnssecStatus = dnssecStatus;
        PublishedRecords = publishedRecords;
        Findings = findings;
        var failing = checks.Where(c => IsFailureVerdict(c.Verdict)).Select(c => c.Verdict).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
        var warnings = findings.Where(f => f.Severity == AlertSeverity.Warning).Select(f => f.Code).Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToList();
        Severity = failing.Count > 0 ? AlertSeverity.Failure : warnings.Count > 0 ? AlertSeverity.Warning : AlertSeverity.Information;
        Fault = Severity == AlertSeverity.Information ? string.Empty : string.Join(", ", failing.Concat(warnings));
    }

    private readonly string? _key;

    /// <summary>
    /// "host:port" (or the mail domain for a domain-wide fault, or "tls-rpt:domain:mx host:result type" for failures
    /// senders reported): the key of incidents in the state store.
    /// </summary>
    public string Key => _key ?? (Port is null ? HostName : string.Format(CultureInfo.InvariantCulture, "{0}:{1}", HostName, Port));

    /// <summary>The host name checked (or the mail domain).</summary>
    public string HostName { get; }

    /// <summary>The port (null for a domain-wide fault).</summary>
    public int? Port { get; }

    /// <summary>The mail domain, when the endpoint was checked as one of its MX hosts.</summary>
    public string? MailDomain { get; }

    /// <summary>Every handshake: address, key type, verdict.</summary>
    public IReadOnlyList<AlertCheck> Checks { get; }

    /// <summary>The TLSA owner name ("_25._tcp.mx1.example.com").</summary>
    public string? TlsaOwnerName { get; }

    /// <summary>DNSSEC status of the TLSA RRset.</summary>
    public string? DnssecStatus { get; }

    /// <summary>What DNS publishes, one record a line ("3 1 1 5E79…").</summary>
    public IReadOnlyList<string> PublishedRecords { get; }

    /// <summary>The records that would match what the server presents now, one per distinct leaf seen.</summary>
    public IReadOnlyList<string> WouldMatch => Checks.Select(c => c.WouldMatch).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Warnings and information.</summary>
    public IReadOnlyList<AlertFinding> Findings { get; }

    /// <summary>Failure, Warning, or Information (nothing to announce).</summary>
    public AlertSeverity Severity { get; }

    /// <summary>
    /// What is wrong, as a stable fingerprint: the failing verdicts and the warning codes ("Fail", "StaleRecord,
    /// TooManyRecords"); empty when nothing is. The same fault is announced once per suppression window; a changed one at once.
    /// </summary>
    public string Fault { get; }

    /// <summary>The worst verdict over the checks.</summary>
    public string Verdict => Checks.Select(c => c.Verdict).OrderBy(VerdictRank).LastOrDefault() ?? "None";

    /// <summary>True when every handshake passed.</summary>
    public bool Passes => Checks.Count > 0 && Checks.All(c => c.Verdict == "Pass");

    /// <inheritdoc />
    public override string ToString() => $"{Key}: {Verdict} {Fault}".TrimEnd();

    /// <summary>Verdicts a DANE client does not connect through.</summary>
    internal static bool IsFailureVerdict(string verdict) => verdict is "Fail" or "DnssecFailure" or "Unreachable" or "NoSuchHost";

    private static int VerdictRank(string verdict) => verdict switch
    {
        "Pass" => 0,
        "NotDane" => 1,
        _ => IsFailureVerdict(verdict) ? 3 : 2,
    };
}
