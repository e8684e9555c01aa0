using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Alerts;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Monitoring;

namespace DanePS;

/// <summary>
/// Invoke-DaneMonitor's ears: what the monitor tells from its worker threads is posted to the pipeline thread and
/// written there as the results Test-DaneEndpoint and Test-DaneMailDomain write, ErrorRecords, verbose lines and
/// the summary.
/// </summary>
internal sealed class MonitorPipelineObserver : IMonitorObserver
{
    private readonly DanePSCmdlet _cmdlet;
    private readonly Action<object> _write;
    private readonly Action<ErrorRecord> _error;

    public MonitorPipelineObserver(DanePSCmdlet cmdlet, Action<object> write, Action<ErrorRecord> error)
    {
        _cmdlet = cmdlet;
        _write = write;
        _error = error;
    }

    public void EndpointChecked(MonitorEndpoint endpoint, IReadOnlyList<DaneEndpointResult> results) => _cmdlet.Mailbox.Post(() =>
    {
        foreach (var r in results)
        {
            _write(r);
        }
    });

    public void MailDomainChecked(string mailDomain, DaneMailDomainResult result) => _cmdlet.Mailbox.Post(() => _write(result));

    public void CheckFailed(string target, Exception exception) => _cmdlet.Mailbox.Post(() =>
        _error(exception is DnsLookupException
            ? new ErrorRecord(exception, ErrorIds.InvokeDaneMonitorNoSuchDomain, ErrorCategory.ObjectNotFound, target)
            : new ErrorRecord(exception, ErrorIds.InvokeDaneMonitorCheckFailed, ErrorCategory.NotSpecified, target)));

    public void ResolverAssessed(ResolverAssessment assessment, DnssecValidationMode validation) => _cmdlet.Mailbox.Post(() =>
    {
        var servers = string.Join(", ", assessment.Servers.Select(s => s.ToString()));
        if (!assessment.Answered)
        {
            _error(new ErrorRecord(
                new DnsLookupException($"The resolver ({servers}) did not answer: nothing could be looked up, so no alert was sent. Check Dns.Server (-Server), and that the resolver runs and answers this machine."),
                ErrorIds.InvokeDaneMonitorResolverNotAnswering,
                ErrorCategory.ResourceUnavailable,
                servers));
            return;
        }

        if (ResolverSetup.NotValidatingWarning(assessment, validation) is { } warning)
        {
            _cmdlet.WriteWarningOncePerPipeline(warning, warning);
        }
    });

    public void AlertHandled(AlertDelivery delivery, AlertDeliveryException? failure) => _cmdlet.Mailbox.Post(() =>
    {
        _cmdlet.WriteVerboseLine($"Alert: {delivery}. {delivery.Reason}.");
        if (failure is not null)
        {
            _error(new ErrorRecord(failure, ErrorIds.InvokeDaneMonitorAlertFailed, ErrorCategory.ConnectionError, delivery));
        }
    });

    public void AlertStateUnavailable(string path, Exception exception) => _cmdlet.Mailbox.Post(() =>
        _error(exception is AlertStateLockedException
            ? new ErrorRecord(exception, ErrorIds.InvokeDaneMonitorStateLocked, ErrorCategory.ResourceBusy, path)
            : new ErrorRecord(new System.IO.IOException($"The alert state file '{path}' cannot be used: {exception.Message}", exception), ErrorIds.InvokeDaneMonitorStateUnavailable, ErrorCategory.OpenError, path)));

    public void TlsRptRead(IReadOnlyList<Engine.TlsRpt.TlsRptSummary> summaries, IReadOnlyList<Engine.TlsRpt.TlsRptItem> unreadable) => _cmdlet.Mailbox.Post(() =>
    {
        // A mail without a report is anyone's mail to the reporting address: told, not an error of the run.
        foreach (var item in unreadable)
        {
            _cmdlet.WriteVerboseLine($"TLS-RPT: {item.Source}: no report read: {item.Error?.Message}");
        }

        foreach (var s in summaries)
        {
            _write(s);
        }
    });

    public void TlsRptMailboxFailed(TlsRptMailboxSettings mailbox, Engine.TlsRpt.TlsRptMailboxException exception) => _cmdlet.Mailbox.Post(() =>
        _error(new ErrorRecord(
            exception,
            exception.Failure switch
            {
                Engine.TlsRpt.TlsRptMailboxFailure.Authentication => ErrorIds.InvokeDaneMonitorTlsRptLoginFailed,
                _ => ErrorIds.InvokeDaneMonitorTlsRptMailboxUnavailable,
            },
            exception.Failure switch
            {
                Engine.TlsRpt.TlsRptMailboxFailure.Authentication => ErrorCategory.AuthenticationError,
                Engine.TlsRpt.TlsRptMailboxFailure.FolderNotFound => ErrorCategory.ObjectNotFound,
                _ => ErrorCategory.ConnectionError,
            },
            mailbox.ToString())));

    public void RunFinished(MonitorSummary summary) => _cmdlet.Mailbox.Post(() => _write(summary));
}
