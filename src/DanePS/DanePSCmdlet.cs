using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading;
using DanePS.Engine.Certificates;
using Microsoft.PowerShell.Commands;

namespace DanePS;

/// <summary>
/// Common ground for DanePS cmdlets: a cancellation token that Ctrl+C (StopProcessing) cancels, passed to every
/// network call; one way to write an ErrorRecord; and the streams: the engine's reporter (its messages reach the
/// verbose and debug streams from the pipeline thread), warnings once per pipeline, and warning and verbose lines
/// that a non-interactive -Debug run survives.
/// </summary>
public abstract class DanePSCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PipelineMailbox _mailbox = new();
    private CmdletReporter? _reporter;
    private PipelineWarnings? _warnings;

    /// <summary>Cancelled when the user stops the pipeline.</summary>
    protected CancellationToken CancelToken => _cancel.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>Where work on other threads posts what the pipeline thread is to write.</summary>
    internal PipelineMailbox Mailbox => _mailbox;

    /// <summary>The reporter to give the engine: its messages are written to the verbose, debug and warning streams as the mailbox runs.</summary>
    internal Engine.Reporting.IReporter Reporter => _reporter ??= new CmdletReporter(_mailbox, WriteVerboseLine, WriteDebugLine, WriteWarningLine);

    /// <summary>Whether this run writes warnings at all (-Quiet writes none).</summary>
    internal virtual bool WritesWarnings => true;

    /// <summary>
    /// Writes a warning unless a DanePS command of the same pipeline has written one with the same
    /// <paramref name="key"/>, or this run writes no warnings. Returns whether it was written.
    /// </summary>
    internal bool WriteWarningOncePerPipeline(string key, string message)
    {
        if (!WritesWarnings || !(_warnings ??= PipelineWarnings.Join()).Claim(key))
        {
            return false;
        }

        WriteWarningLine(message);
        return true;
    }

    /// <summary>Whether a DanePS command of this pipeline has written the warning with this key.</summary>
    internal bool WasWarnedInPipeline(string key) => (_warnings ??= PipelineWarnings.Join()).WasClaimed(key);

    /// <summary>
    /// Writes a warning. With -Debug (and no -WarningAction) PowerShell makes a compiled cmdlet's WarningAction
    /// Inquire: after the warning is written it asks whether to go on. Where nobody can be asked (pwsh
    /// -NonInteractive, a host without a user interface) the host throws, which would end the command; the warning
    /// is written by then, so the run goes on, as PowerShell itself does for -Debug where it cannot prompt.
    /// </summary>
    internal void WriteWarningLine(string message) => WithoutImpossiblePrompt(() => WriteWarning(message), "WarningAction");

    /// <summary>Writes a verbose line; -Debug makes PowerShell ask after it too, unless -Verbose is given (see <see cref="WriteWarningLine"/>).</summary>
    internal void WriteVerboseLine(string message) => WithoutImpossiblePrompt(() => WriteVerbose(message), "Verbose");

    /// <summary>Writes a debug line; Windows PowerShell asks after it under -Debug (see <see cref="WriteWarningLine"/>).</summary>
    internal void WriteDebugLine(string message) => WithoutImpossiblePrompt(() => WriteDebug(message), null);

    private void WithoutImpossiblePrompt(Action write, string? parameterThatOverridesDebug)
    {
        try
        {
            write();
        }
        catch (Exception ex) when ((ex is PSInvalidOperationException or HostException) && AsksBecauseOfDebug(parameterThatOverridesDebug))
        {
            // The host cannot prompt: carry on, as the answer "Yes" would.
        }
    }

    private bool AsksBecauseOfDebug(string? parameterThatOverridesDebug) =>
        MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && debug is SwitchParameter { IsPresent: true }
        && (parameterThatOverridesDebug is null || !MyInvocation.BoundParameters.ContainsKey(parameterThatOverridesDebug));

    /// <summary>Writes a non-terminating error for one bad item; the pipeline goes on.</summary>
    protected void WriteError(Exception exception, string errorId, ErrorCategory category, object? target) =>
        WriteError(new ErrorRecord(exception, errorId, category, target));

    /// <summary>
    /// Resolves one -Path (wildcards expanded) or -LiteralPath value through the PowerShell provider, relative to the
    /// current location, to the file-system files it names. A wildcard may match several files (directories it
    /// matches are skipped); each problem is one non-terminating error with the path as its target.
    /// </summary>
    /// <returns>The files, possibly none after writing an error.</returns>
    internal IReadOnlyList<string> ResolveFiles(string path, bool literal, PathErrorIds ids)
    {
        var files = new List<string>();
        var wildcard = !literal && WildcardPattern.ContainsWildcardCharacters(path);
        IReadOnlyList<string> candidates;
        ProviderInfo provider;
        try
        {
            candidates = literal
                ? new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _) }
                : GetResolvedProviderPathFromPSPath(path, out provider).ToList();
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
        {
            WriteError(new FileNotFoundException(ex.Message, path, ex), ids.FileNotFound, ErrorCategory.ObjectNotFound, path);
            return files;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PSArgumentException or PSNotSupportedException or IOException)
        {
            WriteError(new ArgumentException($"'{path}' is not a path DanePS can read: {ex.Message}", nameof(path), ex), ids.NotAFile, ErrorCategory.InvalidArgument, path);
            return files;
        }

        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            WriteError(new ArgumentException($"'{path}' is a {provider.Name} path, not a file: give a certificate or key file."), ids.NotAFile, ErrorCategory.InvalidArgument, path);
            return files;
        }

        foreach (var candidate in candidates)
        {
            if (Directory.Exists(candidate))
            {
                if (!wildcard)
                {
                    WriteError(new ArgumentException($"'{candidate}' is a directory, not a file: give the certificate or key files in it (a wildcard such as *.pem reads them all)."),
                        ids.NotAFile, ErrorCategory.InvalidArgument, path);
                }
            }
            else if (File.Exists(candidate))
            {
                files.Add(candidate);
            }
            else
            {
                WriteError(new FileNotFoundException($"Cannot find the file '{candidate}' because it does not exist.", candidate), ids.FileNotFound, ErrorCategory.ObjectNotFound, path);
            }
        }

        if (wildcard && files.Count == 0)
        {
            WriteError(new FileNotFoundException($"'{path}' matches no file.", path), ids.FileNotFound, ErrorCategory.ObjectNotFound, path);
        }

        return files;
    }

    /// <summary>
    /// Reads and parses one resolved file: a file that cannot be read is a <see cref="PathErrorIds.FileUnreadable"/>
    /// error, content that is not a certificate or key an InvalidData error with <paramref name="invalidDataId"/>.
    /// </summary>
    /// <returns>True with the value; false after writing the error.</returns>
    internal bool TryReadFile<T>(string file, Func<string, T> read, PathErrorIds ids, string invalidDataId, out T? value)
        where T : class
    {
        value = null;
        try
        {
            value = read(file);
            return true;
        }
        catch (CertificateFormatException ex)
        {
            WriteError(ex, invalidDataId, ErrorCategory.InvalidData, file);
        }
        catch (UnauthorizedAccessException ex)
        {
            WriteError(new UnauthorizedAccessException($"'{file}' cannot be read: {ex.Message}", ex), ids.FileUnreadable, ErrorCategory.PermissionDenied, file);
        }
        catch (IOException ex)
        {
            WriteError(new IOException($"'{file}' cannot be read: {ex.Message}", ex), ids.FileUnreadable, ErrorCategory.ReadError, file);
        }

        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the cancellation source.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _warnings?.Leave();
            _warnings = null;
            _mailbox.Dispose();
            _cancel.Dispose();
        }
    }
}
