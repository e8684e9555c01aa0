using System;
using System.IO;
using System.Text;

namespace DanePS.Engine.Reports;

/// <summary>
/// Writes a file so that a reader sees the old content or the new, never half of it: the text goes to a temporary
/// file in the same folder (same file system, so the rename is atomic), which is flushed to disk and renamed over the
/// target. node_exporter's textfile collector reads only *.prom files: the temporary name ends in .tmp and starts with
/// a dot. On failure the temporary file is removed.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark to <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        var temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            Replace(temp, full);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void Replace(string temp, string target)
    {
        if (File.Exists(target))
        {
            // rename(2) on Unix, ReplaceFile on Windows: the target is swapped, never missing or partial.
            File.Replace(temp, target, destinationBackupFileName: null);
            return;
        }

        try
        {
            File.Move(temp, target);
        }
        catch (IOException) when (File.Exists(target) && File.Exists(temp))
        {
            // Another writer created the target meanwhile: replace its file like any other.
            File.Replace(temp, target, destinationBackupFileName: null);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure is what the caller needs to see.
        }
    }
}
