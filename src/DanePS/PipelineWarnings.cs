using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace DanePS;

/// <summary>
/// The warnings the DanePS commands of the pipeline now running in a runspace have written, so that each is written
/// once per pipeline, not once per command: in <c>Get-TlsaRecord … | Test-DaneEndpoint …</c> both commands assess
/// the same resolver, and both would warn that it does not validate.
/// </summary>
/// <remarks>
/// PowerShell gives a cmdlet no handle on its pipeline, but one runspace runs one pipeline at a time, and every
/// command of a pipeline begins before any of them ends and is disposed when the pipeline ends. So the commands
/// that are alive together in a runspace are one pipeline (with any pipelines nested in its script blocks, which
/// belong to the same run): each command joins in BeginProcessing and leaves when it is disposed, and the warnings
/// are forgotten when the last one leaves.
/// </remarks>
internal sealed class PipelineWarnings
{
    private static readonly ConditionalWeakTable<object, PipelineWarnings> ByRunspace = new();
    private static readonly object NoRunspace = new();

    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private int _commands;

    private PipelineWarnings()
    {
    }

    /// <summary>Joins the pipeline running in this thread's runspace; call <see cref="Leave"/> once when the command is disposed.</summary>
    public static PipelineWarnings Join()
    {
        var run = ByRunspace.GetValue(Runspace.DefaultRunspace ?? NoRunspace, _ => new PipelineWarnings());
        lock (run._written)
        {
            run._commands++;
        }

        return run;
    }

    /// <summary>The command is done; the last one to leave ends the run.</summary>
    public void Leave()
    {
        lock (_written)
        {
            if (--_commands <= 0)
            {
                _commands = 0;
                _written.Clear();
            }
        }
    }

    /// <summary>True the first time <paramref name="key"/> is claimed in this run: the caller writes the warning.</summary>
    public bool Claim(string key)
    {
        lock (_written)
        {
            return _written.Add(key);
        }
    }

    /// <summary>Whether <paramref name="key"/> has been claimed in this run.</summary>
    public bool WasClaimed(string key)
    {
        lock (_written)
        {
            return _written.Contains(key);
        }
    }
}
