using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Tls;

namespace DanePS;

/// <summary>
/// What Test-DaneEndpoint and Test-DaneMailDomain share: resolver and connection settings, concurrency with
/// streaming output and progress that names what is being checked, -Quiet, and warnings once per code and endpoint
/// in the pipeline.
/// </summary>
/// <remarks>
/// Not generic over the result type: a public base class whose type arguments are engine types would make
/// PowerShell load the engine while it lists the module's types, before ModuleLoader can resolve it.
/// </remarks>
public abstract class DaneCheckCmdlet : DnsLookupCmdlet
{
    private readonly SortedDictionary<int, ThrottledRunner<object>.Completed> _waiting = new();
    private int _nextInOrder;
    private ThrottledRunner<object>? _runner;

    /// <summary>How to start TLS; by default from the port (25/587 SMTP, 143 IMAP, 110 POP3, else implicit TLS).</summary>
    [Parameter]
    [StartTlsTransformation]
    public StartTlsProtocol StartTls { get; set; } = StartTlsProtocol.Auto;

    /// <summary>Deadline for each connection in seconds (connect, greeting, STARTTLS and handshake).</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>How many checks run at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>Warn when more TLSA records than this are published.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int MaxRecords { get; set; } = 2;

    /// <summary>Warn when a leaf or trust-anchor certificate expires within this many days.</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int ExpiryWarningDays { get; set; } = 21;

    /// <summary>Make one handshake per address instead of asking for the RSA and the ECDSA certificate separately.</summary>
    [Parameter]
    public SwitchParameter SingleHandshake { get; set; }

    /// <summary>Return only $true (every endpoint passes) or $false for each target, in input order.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>The checker for this run.</summary>
    protected DaneEndpointChecker? Checker { get; private set; }

    /// <summary>The ErrorId for a target that is not a host name (InvalidArgument).</summary>
    protected abstract string InvalidNameErrorId { get; }

    /// <summary>The ErrorId for a check that stopped on an unexpected error (NotSpecified).</summary>
    protected abstract string CheckFailedErrorId { get; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        Checker = new DaneEndpointChecker(StartDns(), new EndpointCheckOptions
        {
            StartTls = StartTls,
            ProbeEachKeyType = !SingleHandshake,
            MaxRecords = MaxRecords,
            ExpiryWarningDays = ExpiryWarningDays,
            Probe = TlsProbeOptions.WithinDeadline(TimeSpan.FromSeconds(TimeoutSec)),
        }, Reporter);
        _runner = new ThrottledRunner<object>(ThrottleLimit, Mailbox, WriteCheckProgress);
    }

    /// <inheritdoc />
    internal override bool WritesWarnings => !Quiet;

    /// <summary>Queues one target's check and writes whatever has finished meanwhile.</summary>
    protected void Enqueue<TResult>(object target, Func<CancellationToken, Task<TResult>> work)
        where TResult : class
    {
        _runner!.Start(target, async ct => await work(ct).ConfigureAwait(false), CancelToken);
        foreach (var done in _runner.TakeFinished())
        {
            Deliver(done);
        }
    }

    /// <summary>
    /// Parses a host name or domain as given; a bad one is queued as a failed check (nothing goes on the wire), so
    /// its error, and its $false with -Quiet, come out in input order.
    /// </summary>
    protected bool TryParseTarget(string text, out Engine.Names.HostName? name)
    {
        if (Engine.Names.HostName.TryParse(text, out name, out var invalid))
        {
            return true;
        }

        Enqueue(text, _ => Task.FromException<object>(invalid!));
        return false;
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_runner is null)
        {
            return;
        }

        foreach (var done in _runner.TakeRemaining(CancelToken))
        {
            Deliver(done);
        }

        WriteResolverAssessment(wait: true);

        WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>The progress activity text.</summary>
    protected abstract string Activity { get; }

    /// <summary>Writes a finished result, as the work given to <see cref="Enqueue{TResult}"/> returned it (objects, warnings, or $true/$false with -Quiet).</summary>
    protected abstract void WriteResult(object target, object result);

    /// <summary>Writes a check that threw.</summary>
    protected virtual void WriteFailure(object target, Exception exception)
    {
        var invalidName = exception is Engine.Names.HostNameFormatException;
        WriteError(exception, invalidName ? InvalidNameErrorId : CheckFailedErrorId, invalidName ? ErrorCategory.InvalidArgument : ErrorCategory.NotSpecified, target);
        if (Quiet)
        {
            WriteObject(false); // a check that could not be made is not a pass
        }
    }

    /// <summary>
    /// Writes warning findings as warnings: at most one per code per endpoint (host:port, with the address for what
    /// one address showed) in the pipeline, naming how many more of the same code the result holds; nothing another
    /// DanePS command of the pipeline has already said (Get-TlsaRecord's DNS warnings); nothing with -Quiet.
    /// </summary>
    /// <param name="findings">The findings of one result.</param>
    /// <param name="subject">What a finding about nothing in particular is about (the mail domain).</param>
    protected void WriteFindings(IEnumerable<DaneFinding> findings, string subject)
    {
        if (!WritesWarnings)
        {
            return;
        }

        foreach (var group in findings.Where(f => f.Severity == FindingSeverity.Warning)
            .GroupBy(f => (Subject: f.Subject.Length > 0 ? f.Subject : subject, Code: $"{f.Code}")))
        {
            var fresh = group.Where(f => !WasWarnedInPipeline(MessageKey(f.Message))).Select(f => f.Message).Distinct(StringComparer.Ordinal).ToList();
            if (fresh.Count == 0)
            {
                continue;
            }

            var more = fresh.Count == 1
                ? string.Empty
                : string.Format(CultureInfo.InvariantCulture, " (and {0} more {1} finding(s) like it: see the result's Findings)", fresh.Count - 1, group.Key.Code);
            WriteWarningOncePerPipeline(group.Key.Subject + "|" + group.Key.Code, $"{group.Key.Subject}: {fresh[0]}{more}");
        }
    }

    /// <summary>The pipeline-wide key of a warning by its words alone, for warnings two commands may both give.</summary>
    internal static string MessageKey(string message) => "message|" + message;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _runner?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>How far the run is, and what it is checking now (the names are what a user waits on).</summary>
    private void WriteCheckProgress()
    {
        const int Named = 3;
        var running = _runner!.Running.Select(t => t.ToString()).ToList();
        var status = string.Format(CultureInfo.InvariantCulture, "{0} of {1} done", _runner.Finished, _runner.Started);
        if (running.Count > 0)
        {
            status += "; checking " + string.Join(", ", running.Take(Named))
                + (running.Count > Named ? string.Format(CultureInfo.InvariantCulture, " and {0} more", running.Count - Named) : string.Empty);
        }

        WriteProgress(new ProgressRecord(1, Activity, status)
        {
            PercentComplete = (int)(100.0 * _runner.Finished / Math.Max(1, _runner.Started)),
        });
    }

    private void Deliver(ThrottledRunner<object>.Completed done)
    {
        WriteResolverAssessment(wait: false); // before the results that depend on it, whenever it is known
        WriteCheckProgress();
        if (!Quiet)
        {
            Write(done); // stream each result as it finishes
            return;
        }

        // One $true/$false per target only makes sense in input order.
        _waiting[done.Index] = done;
        while (_waiting.TryGetValue(_nextInOrder, out var next))
        {
            _waiting.Remove(_nextInOrder++);
            Write(next);
        }
    }

    private void Write(ThrottledRunner<object>.Completed done)
    {
        if (done.Error is OperationCanceledException && CancelToken.IsCancellationRequested)
        {
            return;
        }

        if (done.Error is not null)
        {
            WriteFailure(done.Target, done.Error);
            return;
        }

        WriteResult(done.Target, done.Result!);
    }
}
