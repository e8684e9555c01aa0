using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>Raised when the DNS test environment cannot be built or started; the message carries the tool's or server's own text.</summary>
public sealed class DnsTestEnvironmentException : Exception
{
    public DnsTestEnvironmentException()
    {
    }

    public DnsTestEnvironmentException(string message)
        : base(message)
    {
    }

    public DnsTestEnvironmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An external program the fixture runs, with the Debian package that ships it.</summary>
internal sealed record DnsTool(string Executable, string DebianPackage)
{
    public static readonly DnsTool Knotd = new("knotd", "knot");
    public static readonly DnsTool Unbound = new("unbound", "unbound");
    public static readonly DnsTool DnssecKeygen = new("dnssec-keygen", "bind9-utils");
    public static readonly DnsTool DnssecSignzone = new("dnssec-signzone", "bind9-utils");
    public static readonly DnsTool Dig = new("dig", "bind9-dnsutils");
    public static readonly DnsTool Keymgr = new("keymgr", "knot");

    // Servers live in sbin, which a non-login shell or CI may leave out of PATH.
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin"];

    /// <summary>Full path of the executable, or a failure that names the package to install.</summary>
    public string Locate()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(directory, Executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DnsTestEnvironmentException(
            $"'{Executable}' was not found (looked in PATH and {string.Join(", ", ExtraDirectories)}). " +
            $"Install the Debian package '{DebianPackage}': apt-get install -y {DebianPackage}");
    }

    /// <summary>Runs the tool to completion and returns its standard output; a non-zero exit fails with its standard error.</summary>
    public async Task<string> RunAsync(IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        // Output goes to files, not pipes: .NET reads a child's pipes with blocking reads on thread-pool threads, and a
        // dozen tools at once on a two-core machine would starve the pool for a second or more.
        var outputBase = Path.Combine(Path.GetTempPath(), "daneps-dns", "tool-" + Guid.NewGuid().ToString("N"));
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$@\" </dev/null >\"$DANEPS_TOOL_OUTPUT.out\" 2>\"$DANEPS_TOOL_OUTPUT.err\"");
        startInfo.ArgumentList.Add(Executable);
        startInfo.ArgumentList.Add(Locate());
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["DANEPS_TOOL_OUTPUT"] = outputBase;
        Directory.CreateDirectory(Path.GetDirectoryName(outputBase)!);
        try
        {
            using var process = Process.Start(startInfo)
                ?? throw new DnsTestEnvironmentException($"Could not start '{Executable}'.");
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }

            var output = File.Exists(outputBase + ".out") ? await File.ReadAllTextAsync(outputBase + ".out", cancellationToken) : string.Empty;
            if (process.ExitCode != 0)
            {
                var errors = File.Exists(outputBase + ".err") ? await File.ReadAllTextAsync(outputBase + ".err", cancellationToken) : string.Empty;
                throw new DnsTestEnvironmentException(
                    $"'{Executable} {string.Join(' ', startInfo.ArgumentList.Skip(4))}' (in {workingDirectory}) failed with exit code {process.ExitCode}:{Environment.NewLine}{errors}{output}");
            }

            return output;
        }
        finally
        {
            File.Delete(outputBase + ".out");
            File.Delete(outputBase + ".err");
        }
    }
}

/// <summary>
/// A server (knotd, unbound) the fixture started, running in the foreground with its output in a file of the working
/// folder. It is stopped by the pid in its pid file (checked to be a process of this working folder) and by the pid
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

    public static ServerProcess Start(string name, DnsTool tool, IEnumerable<string> arguments, string workingFolder, string pidFile, string logFile)
    {
        var outputFile = Path.Combine(workingFolder, name + ".out");

        // The shell only redirects and then becomes the server (exec), so the pid we hold is the server's pid and its
        // early errors (before it opens its own log) land in a file instead of a pipe nobody drains.
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingFolder,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$@\" </dev/null >\"$DANEPS_SERVER_OUTPUT\" 2>&1");
        startInfo.ArgumentList.Add(name);
        startInfo.ArgumentList.Add(tool.Locate());
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["DANEPS_SERVER_OUTPUT"] = outputFile;
        var process = Process.Start(startInfo) ?? throw new DnsTestEnvironmentException($"Could not start {name}.");
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

    public DnsTestEnvironmentException Failure(string reason) =>
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
            && pid > 0 && CommandLineNames(pid, workingFolder))
        {
            yield return pid;
        }
    }

    private static bool CommandLineNames(int pid, string workingFolder)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return commandLine.Contains(workingFolder, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
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
