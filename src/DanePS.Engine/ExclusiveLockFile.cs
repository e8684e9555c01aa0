using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Engine;

/// <summary>
/// A lock file that keeps a second run of the same work out (the alert state store, a rollover of the same hosts):
/// opened with <see cref="FileShare.None"/>, an exclusive lock other processes see (flock on Unix), which the kernel
/// drops when the process dies, so a crashed run never leaves the work locked.
/// </summary>
internal static class ExclusiveLockFile
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Opens the lock at <paramref name="path"/>, waiting up to <paramref name="timeout"/> while another run holds it;
    /// <paramref name="waiting"/> is called once when the wait begins. When the lock is still held at the end,
    /// throws what <paramref name="held"/> makes of the last failure. A missing folder is not waited for.
    /// </summary>
    public static async Task<FileStream> AcquireAsync(string path, TimeSpan timeout, Action waiting, Func<IOException, Exception> held, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (clock.Elapsed >= timeout)
                {
                    throw held(ex);
                }

                if (!told)
                {
                    waiting();
                    told = true;
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
