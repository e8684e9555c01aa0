using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Alerts;
using DanePS.Engine.Checking;
using DanePS.Engine.TlsRpt;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Tells people when DANE breaks: sends what Test-DaneEndpoint and Test-DaneMailDomain found to alert channels, once per incident, and again when it recovers.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "DaneAlert", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AlertDelivery))]
public sealed class SendDaneAlertCommand : DanePSCmdlet
{
    private readonly List<DaneEndpointResult> _endpoints = new();
    private readonly List<DaneMailDomainResult> _domains = new();
    private readonly List<TlsRptFailureDetail> _reportedFailures = new();
    private readonly List<TlsRptSummary> _reportedSummaries = new();

    /// <summary>Results of Test-DaneEndpoint or Test-DaneMailDomain, or what Get-TlsRptReport read, usually piped in.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>The channels, from New-DaneAlertChannel.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public AlertChannel[] Channel { get; set; } = Array.Empty<AlertChannel>();

    /// <summary>The state file (default: DanePS/alert-state.json in the user's state folder).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>How long the same fault is not announced again on a channel (default one hour).</summary>
    [Parameter]
    public TimeSpan SuppressFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long to wait for another run that holds the state file's lock, in seconds.</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int LockTimeoutSec { get; set; } = 60;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            switch (item?.BaseObject)
            {
                case DaneEndpointResult endpoint:
                    _endpoints.Add(endpoint);
                    break;
                case DaneMailDomainResult domain:
                    _domains.Add(domain);
                    break;
                case TlsRptFailureDetail failure:
                    _reportedFailures.Add(failure);
                    break;
                case TlsRptPolicyResult policy:
                    _reportedFailures.AddRange(policy.FailureDetails);
                    break;
                case TlsRptSummary summary:
                    _reportedSummaries.Add(summary);
                    break;
                default:
                    WriteError(
                        new ArgumentException($"Send-DaneAlert takes what Test-DaneEndpoint, Test-DaneMailDomain and Get-TlsRptReport write, not {item?.BaseObject?.GetType().FullName ?? "null"}."),
                        ErrorIds.SendDaneAlertUnsupportedInput,
                        ErrorCategory.InvalidType,
                        item);
                    break;
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (SuppressFor < TimeSpan.Zero)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(SuppressFor), "-SuppressFor cannot be negative."), ErrorIds.SendDaneAlertInvalidParameter, ErrorCategory.InvalidArgument, SuppressFor));
        }

        var redactor = AlertDispatcher.CreateRedactor(Channel);
        // Alerting reports from the thread pool; the mailbox writes it on the pipeline thread, every secret masked.
        var log = new RedactingReporter(Reporter, redactor);
        var subjects = DaneResultAlertAdapter.ToSubjects(_endpoints, _domains).Concat(DaneResultAlertAdapter.ToSubjects(_reportedFailures, _reportedSummaries)).ToList();
        var path = StatePath is null ? AlertStateStore.DefaultPath : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath);
        var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? ((SwitchParameter)w).IsPresent
            : SessionState.PSVariable.GetValue("WhatIfPreference") is { } pref && LanguagePrimitives.IsTrue(pref);

        AlertStateStore store;
        try
        {
            store = AlertStateStore.Open(path, TimeSpan.FromSeconds(LockTimeoutSec), whatIf, log, CancelToken);
        }
        catch (AlertStateLockedException ex)
        {
            Mailbox.RunPosted();
            WriteError(ex, ErrorIds.SendDaneAlertStateLocked, ErrorCategory.ResourceBusy, path);
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Mailbox.RunPosted();
            WriteError(new IOException($"The alert state file '{path}' cannot be used: {ex.Message} Nothing was sent.", ex), ErrorIds.SendDaneAlertStateUnavailable, ErrorCategory.OpenError, path);
            return;
        }

        using (store)
        {
            AlertDispatcher dispatcher;
            try
            {
                dispatcher = new AlertDispatcher(Channel, store, SuppressFor, log);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.SendDaneAlertDuplicateChannel, ErrorCategory.InvalidArgument, Channel));
                return;
            }

            Mailbox.RunPosted();
            WriteVerbose($"{subjects.Count} endpoint(s): {string.Join("; ", subjects.Select(s => s.ToString()))}");
            foreach (var planned in dispatcher.Plan(subjects, DateTimeOffset.UtcNow))
            {
                if (planned.Suppressed)
                {
                    WriteVerbose($"Not sending '{planned.Message.Subject}' to {planned.Channel.Name}: {planned.Reason}.");
                    WriteObject(AlertDispatcher.Suppressed(planned, DateTimeOffset.UtcNow));
                    continue;
                }

                var target = $"{planned.Channel.Name} ({planned.Channel.ChannelType} {planned.Channel.Target})";
                if (!ShouldProcess(target, $"Send {planned.Message.Kind.ToString().ToLowerInvariant()} '{planned.Message.Subject}'"))
                {
                    continue;
                }

                try
                {
                    var (delivery, failure) = Mailbox.Run(() => dispatcher.DeliverAsync(planned, redactor, () => DateTimeOffset.UtcNow, CancelToken), CancelToken);
                    Mailbox.RunPosted();
                    WriteObject(delivery);
                    if (failure is not null)
                    {
                        WriteError(failure, ErrorIds.SendDaneAlertDeliveryFailed, ErrorCategory.ConnectionError, delivery);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Mailbox.RunPosted();
                    WriteError(new IOException($"Sent, but the alert state file '{path}' could not be written: {ex.Message} The next run may announce it again.", ex), ErrorIds.SendDaneAlertStateUnavailable, ErrorCategory.WriteError, path);
                }
            }

            Mailbox.RunPosted();
        }
    }
}
