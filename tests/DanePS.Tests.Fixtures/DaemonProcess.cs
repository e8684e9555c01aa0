using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures;

/// <summary>
/// A server's master process that daemonized itself, known only by the pid file it wrote. Stops it by that pid
/// (never by name: other sessions run the same servers on this machine), after checking through /proc that
/// the pid still belongs to this fixture.
/// </summary>
internal sealed class DaemonProcess
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private static readonly ConcurrentDictionary<DaemonProcess, byte> Running = new();

    static DaemonProcess()
    {
        // A test run that ends without disposing its fixtures (a crash, a forgotten using) still leaves no daemon.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var daemon in Running.Keys)
            {
                daemon.StopAsync(TimeSpan.Zero).GetAwaiter().GetResult();
            }
        };
    }

    private DaemonProcess(int pid, string ownershipMarker, string name)
    {
        Pid = pid;
        OwnershipMarker = ownershipMarker;
        Name = name;
    }

    public int Pid { get; }

    /// <summary>A string (the fixture's folder) found in the process's command line or environment.</summary>
    public string OwnershipMarker { get; }

    public string Name { get; }

    /// <summary>Waits for <paramref name="pidFile"/> to name a live process that carries <paramref name="ownershipMarker"/>.</summary>
    public static async Task<DaemonProcess> WaitForPidFileAsync(string name, string pidFile, string ownershipMarker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (TryReadPid(pidFile, out var pid) && IsAlive(pid) && BelongsTo(pid, ownershipMarker))
            {
                var daemon = new DaemonProcess(pid, ownershipMarker, name);
                Running.TryAdd(daemon, 0);
                return daemon;
            }

            if (clock.Elapsed > timeout)
            {
                throw new FixtureException($"{name} did not write a usable pid file {pidFile} within {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>A pid file's process, if it is alive and ours: for clean-up after a start that failed half-way.</summary>
    public static DaemonProcess? FromPidFileIfRunning(string name, string pidFile, string ownershipMarker)
    {
        if (TryReadPid(pidFile, out var pid) && IsAlive(pid) && BelongsTo(pid, ownershipMarker))
        {
            var daemon = new DaemonProcess(pid, ownershipMarker, name);
            Running.TryAdd(daemon, 0);
            return daemon;
        }

        return null;
    }

    /// <summary>True while the process runs; a zombie waiting for init to reap it counts as exited.</summary>
    public static bool IsAlive(int pid)
    {
        var state = ReadStat(pid);
        return state is not null && state.Value.State is not ('Z' or 'X');
    }

    public bool HasExited => !IsAlive(Pid);

    /// <summary>
    /// SIGTERM to the master; if it and its workers (its process group: the daemon is a session leader) have not
    /// all exited within <paramref name="grace"/>, SIGKILL to the group. Returns once none of them runs, so the
    /// listening sockets, which workers inherit, are closed.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            if (!IsAlive(Pid) || !BelongsTo(Pid, OwnershipMarker))
            {
                return;
            }

            var isGroupLeader = ReadStat(Pid) is { } stat && stat.ProcessGroup == Pid;
            bool Alive() => isGroupLeader ? GroupHasLiveMember(Pid) : IsAlive(Pid);

            _ = Kill(Pid, SigTerm);
            if (await WaitUntilAsync(() => !Alive(), grace))
            {
                return;
            }

            // The group cannot have been recycled while any member of it lives.
            _ = isGroupLeader ? Kill(-Pid, SigKill) : Kill(Pid, SigKill);
            _ = await WaitUntilAsync(() => !Alive(), TimeSpan.FromSeconds(5));
        }
        finally
        {
            Running.TryRemove(this, out _);
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    /// <summary>Whether any process of group <paramref name="group"/> runs (zombies waiting for init do not count).</summary>
    private static bool GroupHasLiveMember(int group)
    {
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { } stat
                && stat.ProcessGroup == group
                && stat.State is not ('Z' or 'X'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryReadPid(string pidFile, out int pid)
    {
        pid = 0;
        var text = ReadWithoutLocking(pidFile);
        return text is not null && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out pid) && pid > 1;
    }

    /// <summary>
    /// Postfix's master holds an exclusive flock on its pid file, and .NET takes a shared flock on every file it
    /// opens for reading (so the open fails), hence plain open/read/close.
    /// </summary>
    private static string? ReadWithoutLocking(string path)
    {
        var fd = NativeMethods.open(Encoding.UTF8.GetBytes(path + "\0"), 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            var buffer = new byte[64];
            var length = NativeMethods.read(fd, buffer, buffer.Length);
            return length > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)length) : null;
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    /// <summary>Guards against a recycled pid: the process must mention the fixture's folder.</summary>
    public static bool BelongsTo(int pid, string marker)
    {
        foreach (var part in new[] { "cmdline", "environ" })
        {
            try
            {
                var bytes = File.ReadAllBytes($"/proc/{pid}/{part}");
                if (Encoding.UTF8.GetString(bytes).Contains(marker, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return false;
    }

    private static (char State, int ProcessGroup)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) S ppid pgrp ..."; comm may hold spaces and parentheses, so parse after the last ')'.
        var close = text.LastIndexOf(')');
        var fields = text[(close + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    private static int Kill(int pid, int signal) => NativeMethods.kill(pid, signal);

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);

        [DllImport("libc", SetLastError = true)]
        public static extern int open(byte[] nulTerminatedPath, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern nint read(int fd, byte[] buffer, nint count);

        [DllImport("libc")]
        public static extern int close(int fd);
    }
}
