using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS;

/// <summary>
/// How work on other threads reaches the pipeline thread, the only one that may write to PowerShell's streams:
/// worker threads post what is to be written (a verbose line, a finished check), and the pipeline thread runs
/// the posts whenever it is in the cmdlet, and while it waits for the work.
/// </summary>
internal sealed class PipelineMailbox : IDisposable
{
    private readonly BlockingCollection<Action> _posted = new();

    /// <summary>Queues <paramref name="write"/> for the pipeline thread; from any thread.</summary>
    public void Post(Action write)
    {
        try
        {
            _posted.Add(write);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // After Ctrl+C the cmdlet may be gone before the last work notices the cancellation: nobody to tell.
        }
    }

    /// <summary>Runs what has been posted so far, without waiting; on the pipeline thread.</summary>
    public void RunPosted()
    {
        while (_posted.TryTake(out var write))
        {
            write();
        }
    }

    /// <summary>Waits for the next post and runs it; false when <paramref name="ct"/> is cancelled first.</summary>
    public bool RunNext(CancellationToken ct)
    {
        Action write;
        try
        {
            write = _posted.Take(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        write();
        return true;
    }

    /// <summary>
    /// Waits for <paramref name="task"/> on the pipeline thread, running posts as they come, and returns its result
    /// (or throws its exception). After Ctrl+C it stops running posts and waits for the task to notice.
    /// </summary>
    public T Wait<T>(Task<T> task, CancellationToken ct)
    {
        _ = task.ContinueWith(_ => Post(static () => { }), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!task.IsCompleted && RunNext(ct))
        {
        }

        if (!ct.IsCancellationRequested)
        {
            RunPosted();
        }

        return task.GetAwaiter().GetResult();
    }

    public void Dispose() => _posted.Dispose();
}
