using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>The outcome of one <see cref="ExternalCommand"/> run.</summary>
public sealed record ExternalCommandResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <summary>Standard output and error, for failure messages.</summary>
    public string CombinedOutput => (StandardOutput.TrimEnd() + "\n" + StandardError.TrimEnd()).Trim();
}

/// <summary>
/// Runs a short-lived program (a server's launcher, openssl) with its output captured and a hard time limit.
/// </summary>
/// <remarks>
/// A daemon forked by the launcher may keep the launcher's stdout/stderr pipes open for its whole life, so
/// this waits for the launcher to exit and then reads what the pipes held, instead of waiting for end of file.
/// </remarks>
public static class ExternalCommand
{
    /// <param name="standardInput">Written to the program's input, which is then closed (at once when null).</param>
    public static async Task<ExternalCommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // A daemon must never inherit a test runner's configuration through these.
        startInfo.Environment.Remove("MAIL_CONFIG");
        startInfo.Environment["LANG"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ServerFixtureException($"Cannot run {fileName}: {e.Message}", e);
        }

        var stdout = new OutputCollector(process.StandardOutput.BaseStream);
        var stderr = new OutputCollector(process.StandardError.BaseStream);
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input; its output says why.
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;

            // Our own child, killed through its handle.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Give the pipes a moment to drain; a daemon that keeps them open must not block us.
        await Task.WhenAny(Task.WhenAll(stdout.Completion, stderr.Completion), Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None));
        return new ExternalCommandResult(timedOut ? -1 : process.ExitCode, stdout.Text, stderr.Text, timedOut);
    }

    /// <summary>
    /// Runs a program that daemonizes (a server's start command) with its input from /dev/null and its output
    /// in <paramref name="outputFile"/>, read back into the result once it exits. A daemon it forks then holds
    /// no pipe of ours, and programs that behave differently when writing into a pipe (util-linux's script waits
    /// two seconds) do not.
    /// </summary>
    public static async Task<ExternalCommandResult> RunLauncherAsync(
        string fileName,
        IEnumerable<string> arguments,
        string outputFile,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var shellArguments = new List<string> { "-c", "out=$1; shift; exec \"$@\" </dev/null >\"$out\" 2>&1", "sh", outputFile, fileName };
        shellArguments.AddRange(arguments);
        var result = await RunAsync("/bin/sh", shellArguments, timeout, null, cancellationToken);
        var output = File.Exists(outputFile) ? await File.ReadAllTextAsync(outputFile, CancellationToken.None) : string.Empty;
        return result with { StandardOutput = output + result.StandardOutput };
    }

    private sealed class OutputCollector
    {
        private const int MaxChars = 1 << 20;
        private readonly StringBuilder text = new();

        public OutputCollector(Stream stream) => Completion = Task.Run(() => PumpAsync(stream));

        public Task Completion { get; }

        public string Text
        {
            get
            {
                lock (text)
                {
                    return text.ToString();
                }
            }
        }

        private async Task PumpAsync(Stream stream)
        {
            var buffer = new byte[8192];
            var decoder = Encoding.UTF8.GetDecoder();
            var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    var count = decoder.GetChars(buffer, 0, read, chars, 0);
                    lock (text)
                    {
                        if (text.Length < MaxChars)
                        {
                            text.Append(chars, 0, Math.Min(count, MaxChars - text.Length));
                        }
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
