using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures;

/// <summary>The outcome of one <see cref="ExternalCommand"/> run.</summary>
public sealed record ExternalCommandResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <summary>Standard output and error, for failure messages.</summary>
    public string CombinedOutput => (StandardOutput.TrimEnd() + "\n" + StandardError.TrimEnd()).Trim();
}

/// <summary>
/// Runs the programs the fixtures need: tools to completion (dnssec-keygen, dig, openssl s_client), a server's
/// launcher that daemonizes (postfix start, dovecot, nginx), and servers that stay in the foreground (knotd,
/// unbound, openssl s_server).
/// </summary>
/// <remarks>
/// Every program runs through <c>/bin/sh -c 'exec "$@" &lt;/dev/null &gt;file 2&gt;file'</c>: the shell only
/// redirects and then becomes the program, so the pid we hold is the program's, and its output goes to files,
/// never to pipes, because
/// <list type="bullet">
/// <item>.NET reads a child's pipes with blocking reads on thread-pool threads, and a dozen tools at once on a
/// two-core machine would starve the pool for a second or more;</item>
/// <item>a daemon forked by a launcher would hold the pipe open for its whole life;</item>
/// <item>some programs behave differently when writing into a pipe (util-linux's script waits two seconds).</item>
/// </list>
/// A daemon must never inherit a test runner's configuration, hence no MAIL_CONFIG, and LANG=C for messages
/// the tests can read.
/// </remarks>
public static class ExternalCommand
{
    private const int MaxOutputChars = 1 << 20;

    /// <summary>
    /// Runs <paramref name="program"/> to completion, or kills it after <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: only <paramref name="cancellationToken"/> stops it).
    /// </summary>
    /// <param name="outputFile">
    /// Where standard output and error go together, kept for diagnostics (a launcher's start log); by default they go
    /// to temporary files, deleted once read.
    /// </param>
    public static async Task<ExternalCommandResult> RunAsync(
        RequiredProgram program,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        string? outputFile = null,
        CancellationToken cancellationToken = default)
    {
        var outputBase = Path.Combine(Path.GetTempPath(), "daneps-commands", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(outputBase)!);
        var standardOutput = outputFile ?? outputBase + ".out";
        var standardError = outputFile is null ? outputBase + ".err" : null;
        try
        {
            using var process = Start(program, arguments, workingDirectory, standardOutput, standardError, keepStandardInputOpen: false);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                // Our own child, killed through its handle.
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
            }

            return new ExternalCommandResult(
                timedOut ? -1 : process.ExitCode,
                await ReadAsync(standardOutput),
                standardError is null ? string.Empty : await ReadAsync(standardError),
                timedOut);
        }
        finally
        {
            File.Delete(outputBase + ".out");
            File.Delete(outputBase + ".err");
        }
    }

    /// <summary>
    /// Runs a tool that must succeed, with no time limit but <paramref name="cancellationToken"/>, and returns its
    /// standard output; a non-zero exit fails with the command line and the tool's own messages.
    /// </summary>
    public static async Task<string> RunToSuccessAsync(RequiredProgram program, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var argumentList = arguments.ToList();
        var result = await RunAsync(program, argumentList, Timeout.InfiniteTimeSpan, workingDirectory, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new FixtureException(
                $"'{program} {string.Join(' ', argumentList)}' (in {workingDirectory}) failed with exit code {result.ExitCode}:{Environment.NewLine}{result.StandardError}{result.StandardOutput}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// Starts a server that stays in the foreground, with standard output and error in <paramref name="outputFile"/>.
    /// Its standard input is /dev/null, or, with <paramref name="keepStandardInputOpen"/>, a pipe that stays open
    /// until the process is disposed (openssl s_server reads commands from it and would stop at its end).
    /// </summary>
    public static Process StartServer(RequiredProgram program, IEnumerable<string> arguments, string workingDirectory, string outputFile, bool keepStandardInputOpen = false) =>
        Start(program, arguments, workingDirectory, outputFile, null, keepStandardInputOpen);

    private static Process Start(RequiredProgram program, IEnumerable<string> arguments, string? workingDirectory, string standardOutput, string? standardError, bool keepStandardInputOpen)
    {
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = keepStandardInputOpen,
        };
        if (workingDirectory is not null)
        {
            startInfo.WorkingDirectory = workingDirectory;
        }

        var input = keepStandardInputOpen ? string.Empty : " </dev/null";
        var errors = standardError is null ? "2>&1" : "2>\"$DANEPS_COMMAND_ERRORS\"";
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add($"exec \"$@\"{input} >\"$DANEPS_COMMAND_OUTPUT\" {errors}");
        startInfo.ArgumentList.Add(program.ToString());
        startInfo.ArgumentList.Add(program.Locate());
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["DANEPS_COMMAND_OUTPUT"] = standardOutput;
        if (standardError is not null)
        {
            startInfo.Environment["DANEPS_COMMAND_ERRORS"] = standardError;
        }

        startInfo.Environment.Remove("MAIL_CONFIG");
        startInfo.Environment["LANG"] = "C";
        try
        {
            return Process.Start(startInfo) ?? throw new FixtureException($"Could not start {program}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FixtureException($"Cannot run {program}: {e.Message}", e);
        }
    }

    private static async Task<string> ReadAsync(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        var text = await File.ReadAllTextAsync(path, CancellationToken.None);
        return text.Length <= MaxOutputChars ? text : text[..MaxOutputChars];
    }
}
