using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>
/// What Postfix, Dovecot and nginx fixtures share: a private folder, a daemonized master process known by its pid
/// file, and a stop by that pid that also deletes the folder.
/// </summary>
public abstract class DaemonTestServer : IAsyncDisposable, IDisposable
{
    private static readonly ConcurrentDictionary<DaemonTestServer, byte> Live = new();

    private readonly DaemonProcess daemon;
    private readonly TimeSpan stopGrace;
    private int disposed;

    private protected DaemonTestServer(string directory, DaemonProcess daemon, TimeSpan startDuration, TimeSpan stopGrace, string logPath)
    {
        WorkDirectory = directory;
        this.daemon = daemon;
        StartDuration = startDuration;
        this.stopGrace = stopGrace;
        LogPath = logPath;
        Live.TryAdd(this, 0);
    }

    static DaemonTestServer()
    {
        // A test that never disposes its server (a crash, an assertion that swallowed it) leaves no daemon or folder.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Live.Keys)
            {
                server.Dispose();
            }
        };
    }

    /// <summary>The fixture's private folder (config, keys, pid file, logs); deleted on dispose.</summary>
    public string WorkDirectory { get; }

    /// <summary>The master process's pid, from its pid file.</summary>
    public int ProcessId => daemon.Pid;

    /// <summary>From the start call to the server accepting connections on every endpoint.</summary>
    public TimeSpan StartDuration { get; }

    public bool IsRunning => !daemon.HasExited;

    /// <summary>The server's own log file, inside <see cref="WorkDirectory"/>.</summary>
    public string LogPath { get; }

    /// <summary>The end of the server's log, for assertion messages.</summary>
    public string ReadLog(int maxLines = 200) => FixtureDirectory.Tail(LogPath, maxLines);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await daemon.StopAsync(stopGrace);
        }
        finally
        {
            FixtureDirectory.Delete(WorkDirectory);
            Live.TryRemove(this, out _);
        }

        GC.SuppressFinalize(this);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Runs <paramref name="start"/> in a fresh folder; if it throws, stops whatever it left running (found
    /// through <paramref name="pidFile"/>) and deletes the folder before the exception goes on.
    /// </summary>
    private protected static async Task<T> StartInFreshDirectoryAsync<T>(
        string prefix,
        Func<string, string> pidFile,
        Func<string, Stopwatch, Task<T>> start)
    {
        var clock = Stopwatch.StartNew();
        var directory = FixtureDirectory.Create(prefix);
        try
        {
            return await start(directory, clock);
        }
        catch
        {
            var leftover = DaemonProcess.FromPidFileIfRunning(prefix, pidFile(directory), directory);
            if (leftover is not null)
            {
                await leftover.StopAsync(TimeSpan.FromMilliseconds(500));
            }

            FixtureDirectory.Delete(directory);
            throw;
        }
    }

    /// <summary>
    /// Runs a server's launcher (which daemonizes the server and exits), its output in <paramref name="launcherLog"/>;
    /// a launcher that fails or hangs fails the start with its output and the end of <paramref name="serverLog"/>.
    /// </summary>
    private protected static async Task LaunchAsync(string serverName, RequiredProgram launcher, IEnumerable<string> arguments, string launcherLog, string serverLog, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync(launcher, arguments, timeout, outputFile: launcherLog, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new FixtureException(
                $"{serverName} did not start (exit code {result.ExitCode}{(result.TimedOut ? ", timed out" : string.Empty)}):\n{result.CombinedOutput}\n--- {serverLog} ---\n{FixtureDirectory.Tail(serverLog)}");
        }
    }

    /// <summary>Waits until every endpoint accepts a TCP connection (closed again at once).</summary>
    private protected static async Task WaitUntilListeningAsync(string serverName, IEnumerable<IPEndPoint> endpoints, TimeSpan timeout, Func<string> diagnostics, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await Task.WhenAll(endpoints.Select(endpoint => ConnectOnceListeningAsync(endpoint, limit.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FixtureException($"{serverName} started but did not accept connections within {timeout.TotalSeconds:0.#} s.\n{diagnostics()}");
        }
    }

    private static async Task ConnectOnceListeningAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
    }
}
