using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Engine.Rollover;

/// <summary>A reload step that runs a program (e.g. <c>systemctl reload postfix dovecot nginx</c>) and captures its output and exit status.</summary>
public static class CommandReload
{
    private const int MaxOutputChars = 64 * 1024;

    /// <summary>Makes the reload delegate for a program and its arguments; the program is killed after <paramref name="timeout"/>.</summary>
    public static Func<CancellationToken, Task<ReloadResult>> For(string program, string[] arguments, TimeSpan timeout) =>
        ct => RunAsync(program, arguments, timeout, ct);

    private static async Task<ReloadResult> RunAsync(string program, string[] arguments, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program, string.Join(" ", arguments.Select(Quote)))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                if (output.Length < MaxOutputChars)
                {
                    output.AppendLine(line);
                }
            }
        }

        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => exited.TrySetResult(true);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new ReloadResult(127, $"'{program}' could not be started: {ex.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        var finished = await Task.WhenAny(exited.Task, Task.Delay(Timeout.Infinite, timer.Token)).ConfigureAwait(false);
        if (finished != exited.Task)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }

            ct.ThrowIfCancellationRequested();
            return new ReloadResult(124, $"'{program}' did not finish within {timeout.TotalSeconds:0} s and was stopped. {output}");
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        return new ReloadResult(process.ExitCode, output.ToString());
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => !char.IsWhiteSpace(c) && c != '"') ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";
}
