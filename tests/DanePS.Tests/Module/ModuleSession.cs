using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;

namespace DanePS.Tests.Module;

/// <summary>
/// A real PowerShell runspace (System.Management.Automation 7.6, hosted in-process) that imports the built
/// module from artifacts/ by its manifest, as a user would, and captures what the host would print.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    private readonly Runspace _runspace;
    private readonly CapturingHost _host = new();

    public ModuleSession(bool import = true)
    {
        var iss = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(_host, iss);
        _runspace.Open();
        if (import)
        {
            Run($"Import-Module '{ManifestPath}' -ErrorAction Stop");
        }
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ModuleDirectory => Path.Combine(RepoRoot, "artifacts", "DanePS");

    public static string ManifestPath => Path.Combine(ModuleDirectory, "DanePS.psd1");

    /// <summary>Everything written to the host (Out-Default, warnings, verbose) since the last call.</summary>
    public string HostOutput => System.Text.RegularExpressions.Regex.Replace(_host.UI.Text, "\u001b\\[[0-9;]*m", string.Empty);

    public void ClearHostOutput() => _host.UI.Clear();

    public List<ErrorRecord> LastErrors { get; private set; } = new();

    public List<WarningRecord> LastWarnings { get; private set; } = new();

    public List<ProgressRecord> LastProgress { get; private set; } = new();

    public List<VerboseRecord> LastVerbose { get; private set; } = new();

    public List<DebugRecord> LastDebug { get; private set; } = new();

    /// <summary>Runs a script; non-terminating errors are collected in <see cref="LastErrors"/>.</summary>
    public Collection<PSObject> Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                _runspace.SessionStateProxy.SetVariable(name, value);
            }
        }

        ps.AddScript(script);
        var output = ps.Invoke();
        LastErrors = ps.Streams.Error.ToList();
        LastWarnings = ps.Streams.Warning.ToList();
        LastProgress = ps.Streams.Progress.ToList();

        LastVerbose = ps.Streams.Verbose.ToList();
        LastDebug = ps.Streams.Debug.ToList();
        return output;
    }

    /// <summary>
    /// Starts a script, lets it run for <paramref name="runFor"/>, then stops it as Ctrl+C does (PowerShell.Stop,
    /// which calls the cmdlet's StopProcessing). Returns whether the script was still running when stopped, and how
    /// long the stop took to end it.
    /// </summary>
    public (bool WasRunning, TimeSpan StopTook) StopAfter(string script, TimeSpan runFor, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        ps.AddScript(script);
        var running = ps.BeginInvoke();
        var finishedEarly = running.AsyncWaitHandle.WaitOne(runFor);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();
        var took = clock.Elapsed;
        LastErrors = ps.Streams.Error.ToList();
        if (finishedEarly && ps.InvocationStateInfo.Reason is { } reason)
        {
            // A terminating error ended it: say which, for the test's message.
            LastErrors.Add(new ErrorRecord(reason, "StopAfterEndedBy", ErrorCategory.NotSpecified, null));
        }

        return (!finishedEarly, took);
    }

    /// <summary>
    /// Starts a script and stops it (as Ctrl+C does) once its output satisfies <paramref name="enough"/> or the
    /// timeout passes; returns the output so far. For commands that run until stopped (Invoke-DaneMonitor -Interval).
    /// </summary>
    public List<object> RunUntil(string script, Func<IReadOnlyList<object>, bool> enough, TimeSpan timeout)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = new PSDataCollection<PSObject>();
        var seen = new List<object>();
        using var satisfied = new System.Threading.ManualResetEventSlim();
        output.DataAdded += (_, e) =>
        {
            lock (seen)
            {
                seen.Add(output[e.Index].BaseObject);
                if (enough(seen))
                {
                    satisfied.Set();
                }
            }
        };
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        System.Threading.WaitHandle.WaitAny(new[] { satisfied.WaitHandle, running.AsyncWaitHandle }, timeout);
        ps.Stop();
        LastErrors = ps.Streams.Error.ToList();
        lock (seen)
        {
            return seen.ToList();
        }
    }

    /// <summary>Runs a script and returns the base objects of the given type.</summary>
    public List<T> Run<T>(string script, IDictionary<string, object?>? variables = null) =>
        Run(script, variables).Select(o => o.BaseObject).OfType<T>().ToList();

    public void Dispose() => _runspace.Dispose();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DanePS.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DanePS.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class CapturingHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

        public override Guid InstanceId => _id;

        public override string Name => "DanePS.Tests";

        public override CapturingUI UI { get; } = new();

        public override Version Version => new(1, 0);

        public override void EnterNestedPrompt() => throw new NotSupportedException();

        public override void ExitNestedPrompt() => throw new NotSupportedException();

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        public override void SetShouldExit(int exitCode)
        {
        }
    }

    private sealed class CapturingUI : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override PSHostRawUserInterface RawUI { get; } = new RawUI();

        public void Clear()
        {
            lock (_text)
            {
                _text.Clear();
            }
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException("No prompts in tests.");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

        public override string ReadLine() => string.Empty;

        public override SecureString ReadLineAsSecureString() => new();

        public override void Write(string value) => Append(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");

        public override void WriteErrorLine(string value) => Append("ERROR: " + value + "\n");

        public override void WriteLine(string value) => Append(value + "\n");

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");

        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");

        private void Append(string value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }

    private sealed class RawUI : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; }

        public override Size BufferSize { get; set; } = new(200, 3000);

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override ConsoleColor ForegroundColor { get; set; }

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new(200, 100);

        public override Size MaxWindowSize => new(200, 100);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get; set; } = new(200, 100);

        public override string WindowTitle { get; set; } = string.Empty;

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
        {
        }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
        {
        }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
        {
        }
    }
}
