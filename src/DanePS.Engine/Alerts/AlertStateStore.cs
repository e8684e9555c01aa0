using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>
/// What was announced, on which channel, when: a small JSON file (by default in the user's state folder). A run holds
/// its lock file from open to dispose, so two overlapping scheduled runs take turns instead of both announcing; the
/// file is replaced atomically (written beside it, then renamed over it). A corrupt file is kept aside and a new one
/// started, with a warning. It holds endpoint keys, channel names, faults and times: never a secret.
/// </summary>
public sealed class AlertStateStore : IDisposable
{
    /// <summary>The file format's version.</summary>
    public const int FormatVersion = 1;

    /// <summary>The most of a state file read: it holds a few lines per incident.</summary>
    private const long MaxFileSize = 16 * 1024 * 1024;

    private readonly List<AlertStateEntry> _entries;
    private readonly FileStream? _lock;
    private readonly bool _readOnly;

    private AlertStateStore(string path, List<AlertStateEntry> entries, FileStream? lockStream, bool readOnly)
    {
        Path = path;
        _entries = entries;
        _lock = lockStream;
        _readOnly = readOnly;
    }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>Every announced incident.</summary>
    public IReadOnlyList<AlertStateEntry> Entries => _entries;

    /// <summary>
    /// The default file: <c>$XDG_STATE_HOME/DanePS/alert-state.json</c> (<c>~/.local/state</c>) on Linux and macOS,
    /// <c>%LOCALAPPDATA%\DanePS\alert-state.json</c> on Windows.
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            string folder;
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
            {
                folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            }
            else
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
                folder = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
                    ? xdg!
                    : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            }

            return System.IO.Path.Combine(folder, "DanePS", "alert-state.json");
        }
    }

    /// <summary>
    /// Opens the store: takes its lock (waiting up to <paramref name="lockTimeout"/> for another run to finish), then
    /// reads it. With <paramref name="readOnly"/> (-WhatIf) nothing is locked, created or written.
    /// </summary>
    /// <exception cref="AlertStateLockedException">Another run held the lock for the whole timeout.</exception>
    public static AlertStateStore Open(string path, TimeSpan lockTimeout, bool readOnly, IReporter log, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ArgumentException("Give the state file's path.", nameof(path));
        }

        if (log is null)
        {
            throw new ArgumentNullException(nameof(log));
        }

        path = System.IO.Path.GetFullPath(path);
        FileStream? lockStream = null;
        if (!readOnly)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            lockStream = TakeLock(path + ".lock", lockTimeout, log, cancellationToken);
        }

        try
        {
            var entries = Read(path, readOnly, log);
            return new AlertStateStore(path, entries, lockStream, readOnly);
        }
        catch
        {
            lockStream?.Dispose();
            throw;
        }
    }

    /// <summary>The entry for an endpoint on a channel, if its fault was announced there.</summary>
    public AlertStateEntry? Find(string endpoint, string channel) =>
        _entries.FirstOrDefault(e => string.Equals(e.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Channel, channel, StringComparison.Ordinal));

    /// <summary>Records that a fault was announced.</summary>
    public void Record(string endpoint, string channel, string fault, AlertSeverity severity, DateTimeOffset time)
    {
        Forget(endpoint, channel);
        _entries.Add(new AlertStateEntry(endpoint, channel, fault, severity, time));
    }

    /// <summary>Forgets an incident (its recovery was announced).</summary>
    public void Forget(string endpoint, string channel) =>
        _entries.RemoveAll(e => string.Equals(e.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Channel, channel, StringComparison.Ordinal));

    /// <summary>Writes the file atomically: to a temporary file beside it, then renamed over it.</summary>
    public void Save()
    {
        if (_readOnly)
        {
            return;
        }

        var json = HttpAlertPost.Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("version", FormatVersion);
            w.WriteStartArray("incidents");
            foreach (var e in _entries)
            {
                w.WriteStartObject();
                w.WriteString("endpoint", e.Endpoint);
                w.WriteString("channel", e.Channel);
                w.WriteString("fault", e.Fault);
                w.WriteString("severity", e.Severity.ToString());
                w.WriteString("announcedAt", e.AnnouncedAt.ToString("o", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        var temp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllText(temp, json);
            if (File.Exists(Path))
            {
                File.Replace(temp, Path, null);
            }
            else
            {
                File.Move(temp, Path);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock?.Dispose();

    // Open runs on the cmdlet's thread, which has no synchronization context: waiting on the task is safe.
    private static FileStream TakeLock(string lockPath, TimeSpan timeout, IReporter log, CancellationToken cancellationToken) =>
        ExclusiveLockFile.AcquireAsync(
            lockPath,
            timeout,
            () => log.Verbose(string.Format(CultureInfo.InvariantCulture, "Waiting for another run to release '{0}'.", lockPath)),
            ex => new AlertStateLockedException(
                string.Format(CultureInfo.InvariantCulture, "Another run has held the alert state lock '{0}' for {1:0.#} s (the lock timeout); nothing was sent, so nothing is announced twice. Give -LockTimeoutSec more time if runs are long.", lockPath, timeout.TotalSeconds),
                ex),
            cancellationToken).GetAwaiter().GetResult();

    private static List<AlertStateEntry> Read(string path, bool readOnly, IReporter log)
    {
        if (!File.Exists(path))
        {
            log.Verbose(string.Format(CultureInfo.InvariantCulture, "No alert state file at '{0}' yet: every fault is new.", path));
            return new List<AlertStateEntry>();
        }

        try
        {
            if (new FileInfo(path).Length > MaxFileSize)
            {
                throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture, "it is larger than {0} bytes", MaxFileSize));
            }

            return Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            var aside = path + ".corrupt";
            if (!readOnly)
            {
                File.Copy(path, aside, overwrite: true);
            }

            log.Warning(string.Format(
                CultureInfo.InvariantCulture,
                "The alert state file '{0}' could not be read ({1}); {2}a new one is started. Faults announced before may be announced once more.",
                path,
                ex.Message,
                readOnly ? string.Empty : "it was kept as '" + aside + "' and "));
            return new List<AlertStateEntry>();
        }
    }

    private static List<AlertStateEntry> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.GetInt32() != FormatVersion)
        {
            throw new InvalidDataException("it is not a version " + FormatVersion.ToString(CultureInfo.InvariantCulture) + " DanePS alert state file");
        }

        var entries = new List<AlertStateEntry>();
        foreach (var e in root.GetProperty("incidents").EnumerateArray())
        {
            entries.Add(new AlertStateEntry(
                e.GetProperty("endpoint").GetString() ?? throw new InvalidDataException("an incident has no endpoint"),
                e.GetProperty("channel").GetString() ?? throw new InvalidDataException("an incident has no channel"),
                e.GetProperty("fault").GetString() ?? string.Empty,
                (AlertSeverity)Enum.Parse(typeof(AlertSeverity), e.GetProperty("severity").GetString() ?? string.Empty),
                DateTimeOffset.Parse(e.GetProperty("announcedAt").GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }

        return entries;
    }
}
