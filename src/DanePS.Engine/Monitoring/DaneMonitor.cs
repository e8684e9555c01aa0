using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Alerts;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Reporting;
using DanePS.Engine.Tls;
using DanePS.Engine.TlsRpt;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// One DANE watch: checks every endpoint and mail domain of the settings at once (up to the throttle limit), with
/// the checker Test-DaneEndpoint and Test-DaneMailDomain use, then tells the alert channels through the alert
/// dispatcher (once per incident, across runs, by the state file), and sums the run up with an exit code.
/// </summary>
public sealed class DaneMonitor
{
    private readonly MonitorSettings _settings;
    private readonly IReporter _log;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Creates a monitor over validated settings; <paramref name="log"/> gets narration (secrets are masked before it).</summary>
    public DaneMonitor(MonitorSettings settings, IReporter? log = null, Func<DateTimeOffset>? clock = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _log = log ?? NullReporter.Instance;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// Runs again and again, <paramref name="interval"/> from the start of one run to the start of the next (at once
    /// when a run took longer), until <paramref name="cancellationToken"/> is cancelled; returns the last summary.
    /// </summary>
    public async Task<MonitorSummary?> WatchAsync(TimeSpan interval, IMonitorObserver observer, CancellationToken cancellationToken)
    {
        MonitorSummary? last = null;
        for (var run = 1; !cancellationToken.IsCancellationRequested; run++)
        {
            var started = Stopwatch.StartNew();
            try
            {
                last = await RunAsync(observer, run, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var wait = interval - started.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        return last;
    }

    /// <summary>One run: checks, alerts, summary (also given to the observer).</summary>
    /// <exception cref="OperationCanceledException">The run was stopped.</exception>
    public async Task<MonitorSummary> RunAsync(IMonitorObserver observer, int run, CancellationToken cancellationToken)
    {
        if (observer is null)
        {
            throw new ArgumentNullException(nameof(observer));
        }

        var clock = Stopwatch.StartNew();
        var summary = new MonitorSummary(_clock(), run)
        {
            Endpoints = _settings.Endpoints.Count,
            MailDomains = _settings.MailDomains.Count,
            SettingsPath = _settings.SourcePath,
        };
        // What alerts need, made as each target finishes: the results themselves (chains, records) are not kept, so
        // memory does not grow with the number of targets beyond one line per endpoint.
        var subjects = new List<AlertSubject>();
        var subjectKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Keep(IReadOnlyList<AlertSubject> made)
        {
            lock (subjects)
            {
                subjects.AddRange(made.Where(m => subjectKeys.Add(m.Key)));
            }
        }
        var tally = new object();
        var worst = MonitorStatus.Ok;

        // The TLS-RPT mailbox is read beside the checks, not in one of their slots.
        var mailbox = _settings.TlsRptMailbox;
        summary.TlsRptMailbox = mailbox is not null;
        var reading = mailbox is null ? null : Task.Run(() => ReadMailboxAsync(mailbox, cancellationToken), cancellationToken);

        void Count(DaneVerdict? verdict, bool warns)
        {
            lock (tally)
            {
                switch (verdict)
                {
                    case DaneVerdict.Pass: summary.Pass++; break;
                    case DaneVerdict.Fail: summary.Fail++; break;
                    case DaneVerdict.DnssecFailure: summary.DnssecFailure++; break;
                    case DaneVerdict.NotDane: summary.NotDane++; break;
                    case DaneVerdict.Unreachable: summary.Unreachable++; break;
                    case DaneVerdict.NoSuchHost: summary.NoSuchHost++; break;
                    default: summary.Errors++; break;
                }

                if (warns)
                {
                    summary.Warnings++;
                }

                var status = verdict switch
                {
                    DaneVerdict.Pass => warns ? MonitorStatus.Warning : MonitorStatus.Ok,
                    DaneVerdict.NotDane => MonitorStatus.Warning,
                    _ => MonitorStatus.Failure,
                };
                worst = status > worst ? status : worst;
            }
        }

        using (var dns = new DaneDnsReader(_settings.ToDnsOptions(), _log))
        {
            var assessment = dns.AssessResolverAsync(cancellationToken);
            var checkers = new Dictionary<StartTlsProtocol, DaneEndpointChecker>();
            DaneEndpointChecker CheckerFor(StartTlsProtocol startTls)
            {
                lock (checkers)
                {
                    if (!checkers.TryGetValue(startTls, out var checker))
                    {
                        checker = new DaneEndpointChecker(dns, new EndpointCheckOptions
                        {
                            StartTls = startTls,
                            ProbeEachKeyType = !_settings.SingleHandshake,
                            MaxRecords = _settings.MaxRecords,
                            ExpiryWarningDays = _settings.CertificateExpiryDays,
                            Probe = TlsProbeOptions.WithinDeadline(_settings.ConnectTimeout),
                        }, _log);
                        checkers.Add(startTls, checker);
                    }

                    return checker;
                }
            }

            using var slots = new SemaphoreSlim(_settings.ThrottleLimit);
            async Task Throttled(string target, Func<Task> check)
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await check().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Count(ex is DnsLookupException ? DaneVerdict.NoSuchHost : null, false);
                    observer.CheckFailed(target, ex);
                }
                finally
                {
                    slots.Release();
                }
            }

            var work = new List<Task>();
            foreach (var endpoint in _settings.Endpoints)
            {
                work.Add(Throttled(endpoint.ToString(), async () =>
                {
                    var results = await CheckerFor(endpoint.StartTls).CheckHostAsync(endpoint.HostName, endpoint.Port, cancellationToken).ConfigureAwait(false);
                    if (_settings.Channels.Count > 0)
                    {
                        Keep(DaneResultAlertAdapter.ToSubjects(results, Array.Empty<DaneMailDomainResult>()));
                    }

                    Count(Worst(results.Select(r => r.Verdict)), results.Any(r => r.Findings.Any(f => f.Severity == FindingSeverity.Warning)));
                    observer.EndpointChecked(endpoint, results);
                }));
            }

            foreach (var domain in _settings.MailDomains)
            {
                work.Add(Throttled(domain, async () =>
                {
                    var result = await CheckerFor(StartTlsProtocol.Auto).CheckMailDomainAsync(domain, cancellationToken).ConfigureAwait(false);
                    if (_settings.Channels.Count > 0)
                    {
                        Keep(DaneResultAlertAdapter.ToSubjects(Array.Empty<DaneEndpointResult>(), new[] { result }));
                    }

                    Count(result.Verdict, result.Findings.Any(f => f.Severity == FindingSeverity.Warning));
                    observer.MailDomainChecked(domain, result);
                }));
            }

            await Task.WhenAll(work).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (reading is not null)
            {
                var (items, error) = await reading.ConfigureAwait(false);
                if (error is not null)
                {
                    // Our own problem, not the domains': a warning, so that a scheduler sees it, and never an alert.
                    summary.TlsRptError = error.Message;
                    worst = worst < MonitorStatus.Warning ? MonitorStatus.Warning : worst;
                    observer.TlsRptMailboxFailed(mailbox!, error);
                }
                else
                {
                    var reports = items.Where(i => i.Report is not null).Select(i => i.Report!).ToList();
                    var summaries = TlsRptSummary.Summarize(reports.SelectMany(r => r.Policies).SelectMany(p => p.FailureDetails));
                    summary.TlsRptReports = reports.Count;
                    summary.TlsRptUnreadable = items.Count(i => i.Report is null);
                    summary.TlsRptSummaries = summaries.Count;
                    summary.TlsRptFailedSessions = summaries.Sum(x => x.FailedSessionCount);
                    if (_settings.Channels.Count > 0)
                    {
                        Keep(DaneResultAlertAdapter.ToSubjects(Array.Empty<TlsRptFailureDetail>(), summaries));
                    }

                    // Senders' failures are of the past (the checks above tell the present): a warning at most.
                    if (summaries.Count > 0 && worst < MonitorStatus.Warning)
                    {
                        worst = MonitorStatus.Warning;
                    }

                    observer.TlsRptRead(summaries, items.Where(i => i.Report is null).ToList());
                }
            }

            var resolver = await assessment.ConfigureAwait(false);
            var validation = await dns.GetValidationAsync(cancellationToken).ConfigureAwait(false);
            observer.ResolverAssessed(resolver, validation);
            if (!resolver.Answered)
            {
                // Every check failed for the same reason, ours: no alert floods the channels for it.
                summary.Status = MonitorStatus.CouldNotRun;
                summary.Reason = "The resolver (" + string.Join(", ", resolver.Servers.Select(s => s.ToString())) + ") did not answer; nothing was looked up and no alert was sent.";
                return Finish(summary, clock, observer);
            }
        }

        summary.Status = worst;
        if (_settings.Channels.Count > 0)
        {
            await AlertAsync(subjects, summary, observer, cancellationToken).ConfigureAwait(false);
        }

        return Finish(summary, clock, observer);
    }

    private async Task<(IReadOnlyList<TlsRptItem> Items, TlsRptMailboxException? Error)> ReadMailboxAsync(TlsRptMailboxSettings mailbox, CancellationToken cancellationToken)
    {
        try
        {
            var items = await TlsRptImapReader.ReadAsync(mailbox.ToImapOptions(_settings.ConnectTimeout, _clock()), new TlsRptReadOptions(), _log, cancellationToken).ConfigureAwait(false);
            return (items, null);
        }
        catch (TlsRptMailboxException ex)
        {
            return (Array.Empty<TlsRptItem>(), ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever else the mail library throws is still the mailbox's problem, not a reason to lose the run.
            return (Array.Empty<TlsRptItem>(), new TlsRptMailboxException(TlsRptMailboxFailure.Connection, $"{mailbox}: the mailbox could not be read: {ex.Message}", ex));
        }
    }

    private static MonitorSummary Finish(MonitorSummary summary, Stopwatch clock, IMonitorObserver observer)
    {
        summary.ElapsedMs = DaneEndpointResult.Milliseconds(clock.Elapsed);
        observer.RunFinished(summary);
        return summary;
    }

    /// <summary>The worst of a target's verdicts: what a DANE client that met it would suffer first.</summary>
    internal static DaneVerdict Worst(IEnumerable<DaneVerdict> verdicts)
    {
        var all = verdicts.ToList();
        foreach (var v in new[] { DaneVerdict.DnssecFailure, DaneVerdict.Fail, DaneVerdict.Unreachable, DaneVerdict.NoSuchHost, DaneVerdict.NotDane })
        {
            if (all.Contains(v))
            {
                return v;
            }
        }

        return DaneVerdict.Pass;
    }

    private async Task AlertAsync(List<AlertSubject> subjects, MonitorSummary summary, IMonitorObserver observer, CancellationToken cancellationToken)
    {
        var redactor = AlertDispatcher.CreateRedactor(_settings.Channels);
        var log = new RedactingReporter(_log, redactor);
        var path = _settings.StatePath ?? AlertStateStore.DefaultPath;
        var deliveries = new List<AlertDelivery>();
        AlertStateStore store;
        try
        {
            store = await Task.Run(() => AlertStateStore.Open(path, _settings.LockTimeout, false, log, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlertStateLockedException or IOException or UnauthorizedAccessException)
        {
            observer.AlertStateUnavailable(path, ex);
            summary.Status = MonitorStatus.CouldNotRun;
            summary.Reason = "The alert state file '" + path + "' could not be used; no alert was sent.";
            return;
        }

        using (store)
        {
            var dispatcher = new AlertDispatcher(_settings.Channels.ToList(), store, _settings.SuppressFor, log);
            foreach (var planned in dispatcher.Plan(subjects.OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase), _clock()))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (planned.Suppressed)
                {
                    var held = AlertDispatcher.Suppressed(planned, _clock());
                    deliveries.Add(held);
                    summary.AlertsSuppressed++;
                    observer.AlertHandled(held, null);
                    continue;
                }

                AlertDelivery delivery;
                AlertDeliveryException? failure;
                try
                {
                    (delivery, failure) = await dispatcher.DeliverAsync(planned, redactor, _clock, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    observer.AlertStateUnavailable(path, ex);
                    summary.Status = MonitorStatus.CouldNotRun;
                    summary.Reason = "Sent, but the alert state file '" + path + "' could not be written; the next run may announce it again.";
                    break;
                }

                deliveries.Add(delivery);
                if (failure is null)
                {
                    summary.AlertsSent++;
                }
                else
                {
                    summary.AlertsFailed++;
                    if (summary.Status < MonitorStatus.Warning)
                    {
                        summary.Status = MonitorStatus.Warning;
                    }
                }

                observer.AlertHandled(delivery, failure);
            }
        }

        summary.Alerts = ReadableList.Of(deliveries, "\n");
    }
}
