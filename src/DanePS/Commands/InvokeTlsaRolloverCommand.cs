using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Certificates;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Names;
using DanePS.Engine.Providers;
using DanePS.Engine.Rollover;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Rolls TLSA records over to a staged key safely: publish beside the current records, wait for every authoritative server and the TTL, reload, verify every address, retire only what no server presents.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "TlsaRollover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(TlsaRolloverStep))]
public sealed class InvokeTlsaRolloverCommand : DnsLookupCmdlet
{
    private const string PathSet = "Path";
    private const string CertificateSet = "Certificate";

    /// <summary>The host names whose TLSA records roll over (the mail host for 25 and 443 in the classic setup).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("ComputerName")]
    public string[] HostName { get; set; } = Array.Empty<string>();

    /// <summary>The ports of each host; 25 by default.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] Port { get; set; } = { 25 };

    /// <summary>The staged key: a certificate (certbot's new cert.pem), a public key or a private key file, PEM or DER.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [Alias("StagedPath")]
    public string StagedKeyPath { get; set; } = string.Empty;

    /// <summary>The staged certificate as an object.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    public X509Certificate2 StagedCertificate { get; set; } = null!;

    /// <summary>Where the records are published (New-TlsaProvider).</summary>
    [Parameter(Mandatory = true)]
    public TlsaProvider Provider { get; set; } = null!;

    /// <summary>The reload step as a script block, run after the wait; a thrown error or a non-zero $LASTEXITCODE fails the run.</summary>
    [Parameter]
    public ScriptBlock? ReloadScript { get; set; }

    /// <summary>The reload step as a program and its arguments, e.g. 'systemctl','reload','postfix','nginx'.</summary>
    [Parameter]
    public string[] ReloadCommand { get; set; } = Array.Empty<string>();

    /// <summary>How long the reload command may run, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int ReloadTimeoutSec { get; set; } = 300;

    /// <summary>TTL in seconds of the published records.</summary>
    [Parameter]
    [ValidateRange(1, 604800)]
    public int Ttl { get; set; } = 300;

    /// <summary>How often, in seconds, the authoritative servers are asked while waiting.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollIntervalSec { get; set; } = 5;

    /// <summary>How long, in seconds, the records may take to reach every authoritative server.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int PropagationTimeoutSec { get; set; } = 1800;

    /// <summary>Wait this many seconds for caches instead of the TTL (and negative TTL): for tests, or caches you know.</summary>
    [Parameter]
    [ValidateRange(0, 604800)]
    public int? CacheWaitSec { get; set; }

    /// <summary>Folder of the state and lock files; by default a DanePS folder in the user's local data.</summary>
    [Parameter]
    public string? StateDirectory { get; set; }

    /// <summary>How long, in seconds, to wait for another rollover of the same hosts; 0 (the default) refuses at once.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int LockTimeoutSec { get; set; }

    /// <summary>How long one TLS connection may take, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 30;

    /// <inheritdoc />
    protected override string InvalidServerErrorId => ErrorIds.InvokeTlsaRolloverInvalidServer;

    /// <inheritdoc />
    protected override string ResolverNotAnsweringErrorId => ErrorIds.InvokeTlsaRolloverResolverNotAnswering;

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        DnsResolverOptions? resolver = null;
        using var dns = StartDns(o => resolver = o);
        var options = new TlsaRolloverOptions
        {
            Provider = Provider,
            Resolver = resolver!,
            Ttl = Ttl,
            PollInterval = TimeSpan.FromSeconds(PollIntervalSec),
            PropagationTimeout = TimeSpan.FromSeconds(PropagationTimeoutSec),
            CacheWait = CacheWaitSec is { } wait ? TimeSpan.FromSeconds(wait) : null,
            LockTimeout = TimeSpan.FromSeconds(LockTimeoutSec),
            StateDirectory = StateDirectory is null ? DefaultStateDirectory() : GetUnresolvedProviderPathFromPSPath(StateDirectory),
        };
        options.Check.Probe.OverallTimeout = TimeSpan.FromSeconds(TimeoutSec);
        if (!ReadStaged(options))
        {
            return;
        }

        foreach (var name in HostName)
        {
            if (!Engine.Names.HostName.TryParse(name, out var host, out var problem))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{name}' is not a host name: {problem!.Message}", problem), ErrorIds.InvokeTlsaRolloverInvalidHostName, ErrorCategory.InvalidArgument, name));
                return;
            }

            foreach (var port in Port)
            {
                options.Targets.Add(new RolloverTarget(host!.Ascii, port));
            }
        }

        var description = string.Join(", ", options.Targets);
        options.WhatIf = !ShouldProcess(description, $"Roll the TLSA records over to the staged key through {Provider.Description}");

        options.Reload = MakeReload();
        options.Reporter = Reporter;
        Provider.Reporter = Reporter;
        var sink = new Sink(this);
        try
        {
            Mailbox.Run(() => new TlsaRollover(options).RunAsync(sink, CancelToken), CancelToken);
        }
        catch (RolloverException ex)
        {
            var id = ex.Failure switch
            {
                RolloverFailure.Locked => ErrorIds.InvokeTlsaRolloverLocked,
                RolloverFailure.PropagationTimeout => ErrorIds.InvokeTlsaRolloverPropagationTimeout,
                RolloverFailure.ReloadFailed => ErrorIds.InvokeTlsaRolloverReloadFailed,
                RolloverFailure.VerificationFailed => ErrorIds.InvokeTlsaRolloverVerificationFailed,
                _ => ErrorIds.InvokeTlsaRolloverObservationFailed,
            };
            var category = ex.Failure switch
            {
                RolloverFailure.Locked => ErrorCategory.ResourceBusy,
                RolloverFailure.PropagationTimeout => ErrorCategory.OperationTimeout,
                RolloverFailure.VerificationFailed => ErrorCategory.SecurityError,
                RolloverFailure.ReloadFailed => ErrorCategory.InvalidResult,
                _ => ErrorCategory.ReadError,
            };
            ThrowTerminatingError(new ErrorRecord(ex, id, category, description));
        }
        catch (TlsaProviderException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvokeTlsaRolloverProviderFailed, ProviderErrors.CategoryOf(ex.Failure), description));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            // Ctrl+C: the next run resumes from what DNS and the servers show.
        }
        finally
        {
            Provider.Reporter = null;
            WriteProgress(new ProgressRecord(1, "Invoke-TlsaRollover", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private bool ReadStaged(TlsaRolloverOptions options)
    {
        try
        {
            if (ParameterSetName == CertificateSet)
            {
                options.StagedCertificate = StagedCertificate;
                options.StagedSpki = CertificateReader.GetSubjectPublicKeyInfo(StagedCertificate);
                return true;
            }

            var path = GetUnresolvedProviderPathFromPSPath(StagedKeyPath);
            options.StagedSpki = CertificateReader.ReadSubjectPublicKeyInfo(path);
            try
            {
                var certificates = CertificateReader.ReadCertificates(path);
                options.StagedCertificate = certificates.Count > 0 ? certificates[0] : null;
            }
            catch (CertificateFormatException)
            {
                // A bare key: selector 1 records only.
            }

            return true;
        }
        catch (Exception ex) when (ex is CertificateFormatException or IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvokeTlsaRolloverInvalidStagedKey, ErrorCategory.InvalidData, StagedKeyPath));
            return false;
        }
    }

    private Func<CancellationToken, Task<ReloadResult>>? MakeReload()
    {
        if (ReloadCommand.Length > 0)
        {
            return CommandReload.For(ReloadCommand[0], ReloadCommand.Skip(1).ToArray(), TimeSpan.FromSeconds(ReloadTimeoutSec));
        }

        if (ReloadScript is null)
        {
            return null;
        }

        // A script block runs on the pipeline thread: the engine waits while the mailbox runs it. After Ctrl+C the
        // mailbox runs no more posts, so the wait ends with the cancellation instead.
        return ct =>
        {
            var done = new TaskCompletionSource<ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var cancelled = ct.Register(() => done.TrySetCanceled(ct));
            _ = done.Task.ContinueWith(_ => cancelled.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Mailbox.Post(() =>
            {
                try
                {
                    SessionState.PSVariable.Set("LASTEXITCODE", 0);
                    var output = ReloadScript.Invoke();
                    var text = new StringBuilder();
                    foreach (var item in output)
                    {
                        text.AppendLine(item?.ToString());
                    }

                    var exit = SessionState.PSVariable.GetValue("LASTEXITCODE") is int code ? code : 0;
                    done.TrySetResult(new ReloadResult(exit, text.ToString()));
                }
                catch (RuntimeException ex)
                {
                    done.TrySetResult(new ReloadResult(1, ex.Message));
                }
            });
            return done.Task;
        };
    }

    private static string DefaultStateDirectory()
    {
        var baseDirectory = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(baseDirectory))
        {
            baseDirectory = Environment.OSVersion.Platform == PlatformID.Win32NT
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        return Path.Combine(baseDirectory, "DanePS", "rollover");
    }

    /// <summary>Carries the engine's reports to the pipeline thread through the cmdlet's mailbox.</summary>
    private sealed class Sink : IRolloverSink
    {
        private readonly InvokeTlsaRolloverCommand _cmdlet;

        public Sink(InvokeTlsaRolloverCommand cmdlet) => _cmdlet = cmdlet;

        public void StepEnded(TlsaRolloverStep report) => _cmdlet.Mailbox.Post(() =>
        {
            _cmdlet.WriteVerboseLine($"{report.Step}: {report.Status}. {report.Message}");
            _cmdlet.WriteObject(report);
        });

        public void Progress(string activity, string status, int percent) =>
            _cmdlet.Mailbox.Post(() => _cmdlet.WriteProgress(new ProgressRecord(1, activity, status) { PercentComplete = percent }));
    }
}
