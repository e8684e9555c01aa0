using System.Diagnostics;
using System.Globalization;

/// <summary>What every benchmark in bench/ needs: its arguments, the repository root, and peak memory.</summary>
static class BenchSupport
{
    /// <summary>The integer after <paramref name="name"/> on the command line, or <paramref name="fallback"/>.</summary>
    public static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DanePS.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DanePS.sln not found.");
    }
}

/// <summary>Samples the process working set every 20 ms; Process.PeakWorkingSet64 would only ever grow across runs.</summary>
sealed class PeakSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakSampler()
    {
        _timer = new Timer(_ =>
        {
            using var p = Process.GetCurrentProcess();
            var ws = p.WorkingSet64;
            if (ws > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, ws);
            }
        }, null, 0, 20);
    }

    public double PeakMiB => Interlocked.Read(ref _peak) / 1048576.0;

    public void Dispose() => _timer.Dispose();
}
