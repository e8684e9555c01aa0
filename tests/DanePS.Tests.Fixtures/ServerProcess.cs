using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures;

/// <summary>
/// A server (knotd, unbound) the fixture started through <see cref="ExternalCommand.StartServer"/>, running in the
/// foreground with its output in a file of the working folder. It is stopped by the pid in its pid file (checked to be a process of this working folder) and by the pid
/// the fixture started, never by name.
/// </summary>
internal sealed class ServerProcess
{
    private readonly Process process;

    private ServerProcess(string name, Process process, string pidFile, string logFile, string outputFile, string workingFolder)
    {
        Name = name;
        this.process = process;
        PidFile = pidFile;
        LogFile = logFile;
        OutputFile = outputFile;
        WorkingFolder = workingFolder;
    }

    public string Name { get; }

    public string PidFile { get; }

    public string LogFile { get; }

    public string OutputFile { get; }

    public string WorkingFolder { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static ServerProcess Start(string name, RequiredProgram program, IEnumerable<string> arguments, string workingFolder, string pidFile, string logFile)
    {
        // The server's early errors (before it opens its own log) land in a file of the working folder.
        var outputFile = Path.Combine(workingFolder, name + ".out");
        var process = ExternalCommand.StartServer(program, arguments, workingFolder, outputFile);
        File.WriteAllText(Path.Combine(workingFolder, name + ".started-pid"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new ServerProcess(name, process, pidFile, logFile, outputFile, workingFolder);
    }

    /// <summary>The server's log and early output, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        foreach (var file in new[] { LogFile, OutputFile }.Distinct())
        {
            text.AppendLine().Append("--- ").Append(file).AppendLine(" ---").Append(Tail(file));
        }

        return text.ToString();
    }

    public FixtureException Failure(string reason) =>
        new($"{Name} failed to start: {reason}.{Diagnostics()}");

    public void Stop()
    {
        foreach (var pid in PidsOf(WorkingFolder, PidFile).Append(process.HasExited ? 0 : process.Id).Where(p => p > 0).Distinct())
        {
            KillAndWait(pid);
        }

        process.Dispose();
    }

    /// <summary>
    /// Kills the server processes recorded in a working folder (the server's own pid files and the pids the fixture
    /// started), each only if its command line still names that folder, so a reused pid is never hit.
    /// </summary>
    public static void StopAllRecordedIn(string workingFolder)
    {
        if (!Directory.Exists(workingFolder))
        {
            return;
        }

        var pidFiles = Directory.EnumerateFiles(workingFolder, "*.pid", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(workingFolder, "*.started-pid"));
        foreach (var pid in pidFiles.SelectMany(f => PidsOf(workingFolder, f)).Distinct())
        {
            KillAndWait(pid);
        }
    }

    private static IEnumerable<int> PidsOf(string workingFolder, string pidFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(pidFile).Trim();
        }
        catch (IOException)
        {
            yield break;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            && pid > 0 && DaemonProcess.BelongsTo(pid, workingFolder))
        {
            yield return pid;
        }
    }

    private static void KillAndWait(int pid)
    {
        try
        {
            using var target = Process.GetProcessById(pid);
            target.Kill();
            target.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the look-up and the kill.
        }
    }

    private static string Tail(string file)
    {
        try
        {
            var text = File.ReadAllText(file);
            const int Limit = 6000;
            return text.Length <= Limit ? text : "..." + text[^Limit..];
        }
        catch (IOException)
        {
            return "(no file)" + Environment.NewLine;
        }
    }
}
