using System;
using System.Management.Automation;
using System.Threading;

namespace DanePS;

/// <summary>
/// Common ground for DanePS cmdlets: a cancellation token that Ctrl+C (StopProcessing) cancels, passed to every
/// network call, and one way to write an ErrorRecord.
/// </summary>
public abstract class DanePSCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>Cancelled when the user stops the pipeline.</summary>
    protected CancellationToken CancelToken => _cancel.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>Writes a non-terminating error for one bad item; the pipeline goes on.</summary>
    protected void WriteError(Exception exception, string errorId, ErrorCategory category, object? target) =>
        WriteError(new ErrorRecord(exception, errorId, category, target));

    /// <summary>Resolves a PowerShell path (relative, PSDrive, wildcard-free) to one file-system path.</summary>
    /// <returns>The path, or null after writing an error.</returns>
    protected string? ResolveFilePath(string path, string notFoundErrorId)
    {
        try
        {
            var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                WriteError(new ArgumentException($"'{path}' is not a file-system path."), notFoundErrorId, ErrorCategory.InvalidArgument, path);
                return null;
            }

            if (resolved.Count != 1)
            {
                WriteError(new ArgumentException($"'{path}' resolves to {resolved.Count} files; give one."), notFoundErrorId, ErrorCategory.InvalidArgument, path);
                return null;
            }

            return resolved[0];
        }
        catch (ItemNotFoundException ex)
        {
            WriteError(new System.IO.FileNotFoundException(ex.Message, path, ex), notFoundErrorId, ErrorCategory.ObjectNotFound, path);
            return null;
        }
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
            _cancel.Dispose();
        }
    }
}
