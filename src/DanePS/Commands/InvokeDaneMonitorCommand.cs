using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Alerts;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Monitoring;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Runs a whole DANE watch from one settings file: checks every endpoint and mail domain at once, alerts once per incident, and ends with a summary carrying the exit code.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DaneMonitor", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DaneEndpointResult), typeof(DaneMailDomainResult), typeof(Engine.TlsRpt.TlsRptSummary), typeof(MonitorSummary))]
public sealed class InvokeDaneMonitorCommand : DanePSCmdlet
{
    private const string PathSet = "Path";
    private const string SettingsSet = "Settings";
    private const string TargetsSet = "Targets";

    private static readonly PathErrorIds PathIds = new(ErrorIds.InvokeDaneMonitorFileNotFound, ErrorIds.InvokeDaneMonitorNotAFile, ErrorIds.InvokeDaneMonitorFileUnreadable);

    /// <summary>Set when a termination signal (not Ctrl+C) stops the run, so the cmdlet may still say so.</summary>
    private volatile bool _terminating;

    /// <summary>The settings file (a PowerShell data file, .psd1; see about_DanePS, "Monitor settings").</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The settings as a hashtable, in the settings file's schema.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SettingsSet)]
    [ValidateNotNull]
    public Hashtable? Settings { get; set; }

    /// <summary>Endpoints to check: "host" (port -Port) or "host:port".</summary>
    [Parameter(ParameterSetName = TargetsSet)]
    [Alias("ComputerName")]
    public string[] HostName { get; set; } = Array.Empty<string>();

    /// <summary>The port of -HostName values without one; 25 by default.</summary>
    [Parameter(ParameterSetName = TargetsSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Mail domains to check.</summary>
    [Parameter(ParameterSetName = TargetsSet)]
    [Alias("Domain")]
    public string[] MailDomain { get; set; } = Array.Empty<string>();

    /// <summary>Resolvers to ask (IP or IP:port); the system's by default.</summary>
    [Parameter(ParameterSetName = TargetsSet)]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>Alert channels, from New-DaneAlertChannel.</summary>
    [Parameter(ParameterSetName = TargetsSet)]
    public AlertChannel[] Channel { get; set; } = Array.Empty<AlertChannel>();

    /// <summary>The alert state file (default: DanePS/alert-state.json in the user's state folder).</summary>
    [Parameter(ParameterSetName = TargetsSet)]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>How long the same fault is not announced again on a channel (default one hour).</summary>
    [Parameter(ParameterSetName = TargetsSet)]
    public TimeSpan SuppressFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Watch mode: run again every interval (seconds, or a TimeSpan) until stopped (Ctrl+C, service stop).</summary>
    [Parameter]
    [IntervalTransformation]
    public TimeSpan Interval { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var problems = new List<SettingsProblem>();
        string? file = null;
        var settings = ParameterSetName switch
        {
            PathSet => FromFile(problems, out file),
            // Paths in a hashtable (Dns.TrustAnchorPath) are relative to the current location, as PowerShell paths are.
            SettingsSet => MonitorSettingsReader.Read(MonitorSettingsFile.FromObject(Settings), new PowerShellSecretResolver(this), null, SessionState.Path.GetUnresolvedProviderPathFromPSPath, out var p) is { } s ? s : Fail(p, problems),
            _ => FromParameters(problems),
        };

        if (settings is null || problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                WriteError(new ErrorRecord(new InvalidDataException(problem.ToString()), ErrorIds.InvokeDaneMonitorInvalidSettings, ErrorCategory.InvalidData, problem));
            }

            WriteObject(MonitorSummary.CouldNotStart(
                problems.Count > 0 ? $"The settings have {problems.Count} problem(s); nothing was checked." : "The settings could not be read; nothing was checked.",
                problems,
                file));
            return;
        }

        // A relative state path of a hashtable is relative to the current location, as PowerShell paths are.
        if (ParameterSetName == SettingsSet && settings.StatePath is not null)
        {
            settings.StatePath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(settings.StatePath);
        }

        if (Interval < TimeSpan.Zero || (MyInvocation.BoundParameters.ContainsKey(nameof(Interval)) && Interval < TimeSpan.FromSeconds(1)))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(Interval), "-Interval is at least one second."), ErrorIds.InvokeDaneMonitorInvalidParameter, ErrorCategory.InvalidArgument, Interval));
        }

        if (!Confirm(settings))
        {
            return; // -WhatIf, or nothing confirmed: nothing is looked up, connected to or sent
        }

        var monitor = new DaneMonitor(settings, Reporter);
        var observer = new MonitorPipelineObserver(this, WriteObject, WriteError);

        // A service stop (SIGTERM from systemd, a container runtime) is not a pipeline stop: stop the run as Ctrl+C
        // would, and give it a moment to end, so no alert is left sent but unrecorded. On .NET 10 (PowerShell 7.6)
        // SIGTERM is caught through PosixSignalRegistration, after which the process ends as terminated by it; on
        // .NET 6-9 the runtime raises ProcessExit for it; both reach the same handler, which waits only once.
        using var ended = new System.Threading.ManualResetEventSlim();
        var terminated = 0;
        void Terminate()
        {
            if (System.Threading.Interlocked.Exchange(ref terminated, 1) == 0)
            {
                _terminating = true;
                StopProcessing();
            }

            try
            {
                ended.Wait(TimeSpan.FromSeconds(2));
            }
            catch (ObjectDisposedException)
            {
                // The cmdlet had already ended: nothing to wait for.
            }
        }

        EventHandler onExit = (_, _) => Terminate();
        AppDomain.CurrentDomain.ProcessExit += onExit;
        using var sigterm = TerminationSignal.OnTerminate(Terminate);
        try
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Interval)))
            {
                Mailbox.Run(() => monitor.WatchAsync(Interval, observer, CancelToken), CancelToken);
            }
            else
            {
                Mailbox.Run(() => monitor.RunAsync(observer, 1, CancelToken), CancelToken);
            }
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            // Ctrl+C or a service stop: the run ends here.
        }
        finally
        {
            try
            {
                if (_terminating)
                {
                    // A service stop is not a pipeline stop: the cmdlet may still say why it ended (Ctrl+C needs no word).
                    WriteWarning("Stopped by a termination signal (SIGTERM, a service stop): the run in progress was cancelled; what it had done is recorded in the alert state.");
                }
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C as well: the pipeline takes no more output.
            }
            finally
            {
                AppDomain.CurrentDomain.ProcessExit -= onExit;
                ended.Set();
            }
        }
    }

    private static MonitorSettings? Fail(IReadOnlyList<SettingsProblem> found, List<SettingsProblem> problems)
    {
        problems.AddRange(found);
        return null;
    }

    private MonitorSettings? FromFile(List<SettingsProblem> problems, out string? file)
    {
        file = null;
        var files = ResolveFiles(Path, literal: false, PathIds);
        if (files.Count != 1)
        {
            if (files.Count > 1)
            {
                WriteError(new ArgumentException($"'{Path}' names {files.Count} files: give one settings file."), ErrorIds.InvokeDaneMonitorNotAFile, ErrorCategory.InvalidArgument, Path);
            }

            return null;
        }

        file = files[0];
        SettingsNode? root;
        try
        {
            root = MonitorSettingsFile.Parse(file, problems);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new IOException($"'{file}' cannot be read: {ex.Message}", ex), PathIds.FileUnreadable, ErrorCategory.ReadError, file);
            return null;
        }

        foreach (var p in problems)
        {
            p.File = file;
        }

        if (root is null)
        {
            return null;
        }

        var settings = MonitorSettingsReader.Read(root, new PowerShellSecretResolver(this), file, out var found);
        if (settings is null)
        {
            problems.AddRange(found);
            return null;
        }

        // A relative state path is beside the settings file, wherever the scheduler starts pwsh.
        if (settings.StatePath is not null && !System.IO.Path.IsPathRooted(settings.StatePath))
        {
            settings.StatePath = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, settings.StatePath));
        }

        return settings;
    }

    private MonitorSettings? FromParameters(List<SettingsProblem> problems)
    {
        var settings = new MonitorSettings { SuppressFor = SuppressFor };
        problems.AddRange(MonitorSettingsReader.AddTargets(settings, HostName, Port, MailDomain));
        if (settings.Endpoints.Count == 0 && settings.MailDomains.Count == 0 && problems.Count == 0)
        {
            problems.Add(new SettingsProblem(SettingsProblemKind.MissingKey, "HostName", 0, "Nothing to check: give -HostName or -MailDomain (or -Path, a settings file)."));
        }

        foreach (var server in Server)
        {
            try
            {
                DnsResolverOptions.ParseServer(server);
                settings.Servers.Add(server);
            }
            catch (FormatException ex)
            {
                problems.Add(new SettingsProblem(SettingsProblemKind.InvalidValue, "Server", 0, ex.Message));
            }
        }

        foreach (var group in Channel.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new SettingsProblem(SettingsProblemKind.InvalidValue, "Channel", 0, $"Two channels are named '{group.Key}': give each its own -Name, since the name keys what was announced on it."));
        }

        foreach (var c in Channel)
        {
            settings.Channels.Add(c);
        }

        if (SuppressFor < TimeSpan.Zero)
        {
            problems.Add(new SettingsProblem(SettingsProblemKind.InvalidValue, "SuppressFor", 0, "-SuppressFor cannot be negative."));
        }

        settings.StatePath = StatePath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath);
        return problems.Count == 0 ? settings : null;
    }

    /// <summary>
    /// Asks ShouldProcess for every target and channel: -WhatIf lists what would be checked and who would be told,
    /// and runs nothing; -Confirm lets a person leave some out.
    /// </summary>
    private bool Confirm(MonitorSettings settings)
    {
        foreach (var e in settings.Endpoints.ToList())
        {
            if (!ShouldProcess($"{e} (TLS {e.StartTls})", "Check DANE (TLSA lookup and TLS handshakes)"))
            {
                settings.Endpoints.Remove(e);
            }
        }

        foreach (var d in settings.MailDomains.ToList())
        {
            if (!ShouldProcess($"mail domain {d}", "Check DANE on every MX host"))
            {
                settings.MailDomains.Remove(d);
            }
        }

        foreach (var c in settings.Channels.ToList())
        {
            if (!ShouldProcess($"{c.Name} ({c.ChannelType} {c.Target})", $"Send alerts ({c.MinimumSeverity} and above, once per incident; state {settings.StatePath ?? AlertStateStore.DefaultPath})"))
            {
                settings.Channels.Remove(c);
            }
        }

        if (settings.TlsRptMailbox is { } mailbox && !ShouldProcess($"TLS-RPT mailbox {mailbox} ({mailbox.TlsMode})", mailbox.MarkAsRead ? "Read TLS-RPT reports and mark the mails read" : "Read TLS-RPT reports (read-only)"))
        {
            settings.TlsRptMailbox = null;
        }

        return settings.Endpoints.Count + settings.MailDomains.Count > 0 || settings.TlsRptMailbox is not null;
    }
}
