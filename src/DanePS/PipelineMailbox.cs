using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS;

/// <summary>
/// How work on other threads reaches the pipeline thread, the only one that may write to PowerShell's streams:
/// worker threads post what is to be written (a verbose line, a finished check), and the pipeline thread runs
/// the posts whenever it is in the cmdlet, and while it waits for the work. The one way every DanePS cmdlet gets
/// verbose, debug and warning lines, progress, objects and script-block runs from its work onto the pipeline thread:
/// concurrent checks (<see cref="ThrottledRunner{TResult}"/>), one long operation (<see cref="Run{T}"/>: a rollover,
/// a provider change, an alert delivery) and the engine's reporter (<see cref="CmdletReporter"/>) all post here.
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

    /// <summary>
    /// Runs <paramref name="work"/> off the pipeline thread and waits for it there, running what it posts meanwhile
    /// (see <see cref="Wait{T}"/>), so a long operation streams its objects, progress and narration as they happen.
    /// </summary>
    public T Run<T>(Func<Task<T>> work, CancellationToken ct) => Wait(Task.Run(work, CancellationToken.None), ct);

    /// <summary>Runs <paramref name="work"/> off the pipeline thread and waits for it there (see <see cref="Run{T}"/>).</summary>
    public void Run(Func<Task> work, CancellationToken ct) => Run(async () =>
    {
        await work().ConfigureAwait(false);
        return true;
    }, ct);

    public void Dispose() => _posted.Dispose();
}
