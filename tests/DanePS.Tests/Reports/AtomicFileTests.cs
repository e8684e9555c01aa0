using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reports;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>
/// The report file is replaced whole: a reader polling it (node_exporter's textfile collector) sees the old text or the
/// new, never half; nothing is left behind when writing fails.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("daneps-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_reader_polling_the_file_never_sees_a_partial_file_while_it_is_rewritten()
    {
        var file = Path.Combine(_folder, "dane.prom");
        // Two large texts, each ending in a marker: a partial read lacks its end (or mixes the two).
        var a = new string('a', 2_000_000) + "\n# END A\n";
        var b = new string('b', 2_000_000) + "\n# END B\n";
        AtomicFile.WriteAllText(file, a);
        var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = File.ReadAllText(file);
                Assert.True(text == a || text == b, $"A read saw {text.Length} characters, a partial file.");
                Interlocked.Increment(ref reads);
            }
        });

        // At least 40 rewrites, and on until the reader has read a good many times while they happen.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var i = 0; !reader.IsCompleted && (i < 40 || (Volatile.Read(ref reads) < 40 && DateTime.UtcNow < deadline)); i++)
        {
            AtomicFile.WriteAllText(file, i % 2 == 0 ? b : a);
        }

        AtomicFile.WriteAllText(file, a);

        stop.Cancel();
        await reader;
        Assert.True(reads >= 40, $"The reader read only {reads} times.");
        Assert.Equal(a, File.ReadAllText(file));
        Assert.Equal(new[] { "dane.prom" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void The_text_is_UTF8_without_a_byte_order_mark()
    {
        var file = Path.Combine(_folder, "r.txt");
        AtomicFile.WriteAllText(file, "bücher — ok\n");
        Assert.Equal("bücher — ok\n"u8.ToArray(), File.ReadAllBytes(file));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary_file()
    {
        var file = Path.Combine(_folder, "dane.prom");
        AtomicFile.WriteAllText(file, "old\n");
        // The target replaced by a directory of the same name: the rename fails.
        var blocked = Path.Combine(_folder, "blocked");
        Directory.CreateDirectory(blocked);
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(blocked, "new\n"));
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(Path.Combine(_folder, "missing", "x.prom"), "new\n"));
        Assert.Equal("old\n", File.ReadAllText(file));
        Assert.Equal(new[] { "dane.prom" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }
}
