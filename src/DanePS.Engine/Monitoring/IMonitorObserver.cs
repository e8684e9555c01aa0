using System;
using DanePS.Engine.Alerts;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// What a monitor run tells as it goes, from worker threads: each target's results as soon as its check is done, each
/// alert, the resolver assessment, and each run's summary. The cmdlet posts them to the pipeline thread.
/// </summary>
public interface IMonitorObserver
{
    /// <summary>An endpoint's results (one per address and key type), as Test-DaneEndpoint gives them.</summary>
    void EndpointChecked(MonitorEndpoint endpoint, System.Collections.Generic.IReadOnlyList<DaneEndpointResult> results);

    /// <summary>A mail domain's result, as Test-DaneMailDomain gives it.</summary>
    void MailDomainChecked(string mailDomain, DaneMailDomainResult result);

    /// <summary>A target whose check could not be made (a mail domain that does not exist, an unexpected error).</summary>
    void CheckFailed(string target, Exception exception);

    /// <summary>What the resolver assessment found (once per run), and who validated DNSSEC in the run (Resolver or Local).</summary>
    void ResolverAssessed(ResolverAssessment assessment, Dns.DnssecValidationMode validation);

    /// <summary>An alert sent, held back or failed; <paramref name="failure"/> (secrets masked) when it failed.</summary>
    void AlertHandled(AlertDelivery delivery, AlertDeliveryException? failure);

    /// <summary>The alert state file could not be used: nothing was sent.</summary>
    void AlertStateUnavailable(string path, Exception exception);

    /// <summary>
    /// The TLS-RPT mailbox was read: the failures the senders reported (one summary per policy domain, receiving MX
    /// host and result type), and the items that held no readable report. Told after every target's results.
    /// </summary>
    void TlsRptRead(System.Collections.Generic.IReadOnlyList<TlsRpt.TlsRptSummary> summaries, System.Collections.Generic.IReadOnlyList<TlsRpt.TlsRptItem> unreadable);

    /// <summary>The TLS-RPT mailbox could not be read (server, TLS, login or folder).</summary>
    void TlsRptMailboxFailed(TlsRptMailboxSettings mailbox, TlsRpt.TlsRptMailboxException exception);

    /// <summary>A run's summary.</summary>
    void RunFinished(MonitorSummary summary);
}
