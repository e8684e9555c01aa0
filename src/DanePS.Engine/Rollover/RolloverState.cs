using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Rollover;

/// <summary>
/// The little a rollover keeps between runs: which staged key it is rolling to, when it published, and when every
/// authoritative server first served the records (so a resumed wait does not start over). Everything else is read
/// again from DNS and the servers on each run; a lost state file costs at most one full wait, never safety.
/// </summary>
internal sealed class RolloverState
{
    private const int MaxStateBytes = 64 * 1024;
    private static readonly char[] Comma = { ',' };

    private RolloverState(string path) => Path = path;

    public string Path { get; }

    public string? StagedKey { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public DateTimeOffset? VisibleAt { get; set; }

    public HashSet<string> AbsentBefore { get; } = new(StringComparer.Ordinal);

    public static string FileBaseName(IEnumerable<RolloverTarget> targets)
    {
        var key = string.Join(",", targets.Select(t => t.ToString().ToLowerInvariant()).OrderBy(s => s, StringComparer.Ordinal));
        using var sha = SHA256.Create();
        var hash = BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(key))).Replace("-", string.Empty).Substring(0, 16).ToLowerInvariant();
        var first = targets.First().HostName.ToLowerInvariant();
        return "rollover-" + new string(first.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray()) + "-" + hash;
    }

    public static RolloverState Load(string path)
    {
        var state = new RolloverState(path);
        if (!File.Exists(path) || new FileInfo(path).Length > MaxStateBytes)
        {
            return state;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var at = line.IndexOf('=');
            if (at <= 0)
            {
                continue;
            }

            var (name, value) = (line.Substring(0, at), line.Substring(at + 1));
            switch (name)
            {
                case "staged": state.StagedKey = value; break;
                case "publishedAt": state.PublishedAt = ParseTime(value); break;
                case "visibleAt": state.VisibleAt = ParseTime(value); break;
                case "absentBefore":
                    foreach (var owner in value.Split(Comma, StringSplitOptions.RemoveEmptyEntries))
                    {
                        state.AbsentBefore.Add(owner);
                    }

                    break;
            }
        }

        return state;
    }

    public void Save()
    {
        var text = new StringBuilder()
            .Append("staged=").AppendLine(StagedKey)
            .Append("publishedAt=").AppendLine(PublishedAt?.ToString("o", CultureInfo.InvariantCulture))
            .Append("visibleAt=").AppendLine(VisibleAt?.ToString("o", CultureInfo.InvariantCulture))
            .Append("absentBefore=").AppendLine(string.Join(",", AbsentBefore));
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }

        File.Move(temporary, Path);
    }

    public void Delete()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }

    private static DateTimeOffset? ParseTime(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : null;
}

/// <summary>
/// One rollover at a time per set of targets: an exclusive lock on a file, held by an open handle, so it is released
/// when the process dies however it dies (the operating system closes the handle). On Unix .NET takes it with flock.
/// </summary>
internal sealed class RolloverLock : IDisposable
{
    private readonly FileStream _stream;

    private RolloverLock(FileStream stream) => _stream = stream;

    public static async Task<RolloverLock> AcquireAsync(string path, TimeSpan timeout, IReporter reporter, CancellationToken ct) =>
        new(await ExclusiveLockFile.AcquireAsync(
            path,
            timeout,
            () => reporter.Verbose($"Another rollover holds {path}; waiting up to {timeout.TotalSeconds:0} s for it to finish."),
            ex => new RolloverException(RolloverFailure.Locked, $"Another rollover of the same hosts is running (it holds {path}); this run changed nothing. Run again when it has finished, or give -LockTimeoutSec to wait for it.", null, ex),
            ct).ConfigureAwait(false));

    public void Dispose() => _stream.Dispose();
}
