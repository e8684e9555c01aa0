using System;
using System.IO;

namespace DanePS.Tests.Fixtures;

/// <summary>A server fixture's private folder under /tmp: config, keys, pid file, logs, queues.</summary>
internal static class FixtureDirectory
{
    /// <summary>
    /// Creates /tmp/daneps-PREFIX-random, mode 0755 so that servers' unprivileged users (postfix, dovenull,
    /// nobody) can reach their own subfolders; keys inside stay 0600.
    /// </summary>
    public static string Create(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory($"daneps-{prefix}-").FullName;
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The server fixtures run Debian's servers and need Linux.");
        }

        File.SetUnixFileMode(
            directory,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return directory;
    }

    public static void Delete(string? directory)
    {
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A dying server may still be writing its last log line or removing a socket.
                System.Threading.Thread.Sleep(50);
            }
            catch (UnauthorizedAccessException) when (attempt < 5)
            {
                System.Threading.Thread.Sleep(50);
            }
        }
    }

    /// <summary>The last <paramref name="maxLines"/> lines of a log file, or a note that there is none.</summary>
    public static string Tail(string path, int maxLines = 40)
    {
        try
        {
            if (!File.Exists(path))
            {
                return $"({path} was not written)";
            }

            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines[Math.Max(0, lines.Length - maxLines)..]);
        }
        catch (IOException e)
        {
            return $"({path} unreadable: {e.Message})";
        }
    }
}
