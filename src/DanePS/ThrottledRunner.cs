using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS;

/// <summary>
/// Runs checks concurrently, at most <c>throttle</c> at a time, and hands finished ones back to the pipeline
/// thread (the only thread allowed to write output) as they complete, so results stream out. Starts and finishes
/// travel through the cmdlet's mailbox, with whatever the checks report meanwhile, so the pipeline thread writes
/// verbose lines while it waits for results.
/// </summary>
internal sealed class ThrottledRunner<TResult> : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly PipelineMailbox _mailbox;
    private readonly Action _started;

    // Touched only on the pipeline thread (by the mailbox's posts).
    private readonly Queue<Completed> _finished = new();
    private readonly List<(int Index, object Target)> _running = new();
    private int _pending;

    /// <param name="throttle">How many checks run at once.</param>
    /// <param name="mailbox">The cmdlet's mailbox.</param>
    /// <param name="started">Called on the pipeline thread when a check starts running (gets a slot).</param>
    public ThrottledRunner(int throttle, PipelineMailbox mailbox, Action started)
    {
        _slots = new SemaphoreSlim(throttle, throttle);
        _mailbox = mailbox;
        _started = started;
    }

    public int Started { get; private set; }

    public int Finished { get; private set; }

    /// <summary>The targets being checked now (queued ones not included), oldest first.</summary>
    public IEnumerable<object> Running => _running.Select(r => r.Target);

    /// <summary>Starts one check; call from the pipeline thread.</summary>
    public void Start(object target, Func<CancellationToken, Task<TResult>> work, CancellationToken ct)
    {
        _pending++;
        var index = Started++;
        _ = Task.Run(async () =>
        {
            try
            {
                await _slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    _mailbox.Post(() =>
                    {
                        _running.Add((index, target));
                        _started();
                    });
                    Report(new Completed(index, target, await work(ct).ConfigureAwait(false), null));
                }
                finally
                {
                    Release();
                }
            }
            catch (Exception ex)
            {
                Report(new Completed(index, target, default, ex));
            }
        }, CancellationToken.None); // the work observes ct itself and must always report back
    }

    // After Ctrl+C the cmdlet may be gone (and its mailbox disposed) before the last checks notice the
    // cancellation: what they report then has nobody to go to, and the mailbox drops it.
    private void Report(Completed completed) => _mailbox.Post(() =>
    {
        _running.RemoveAll(r => r.Index == completed.Index);
        _finished.Enqueue(completed);
    });

    private void Release()
    {
        try
        {
            _slots.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The checks finished so far, without waiting (writing what was reported meanwhile).</summary>
    public IEnumerable<Completed> TakeFinished()
    {
        _mailbox.RunPosted();
        while (_finished.Count > 0)
        {
            yield return Take();
        }
    }

    /// <summary>Every remaining check, each as soon as it finishes (writing what is reported meanwhile).</summary>
    public IEnumerable<Completed> TakeRemaining(CancellationToken ct)
    {
        while (_pending > 0)
        {
            if (_finished.Count == 0)
            {
                if (!_mailbox.RunNext(ct))
                {
                    yield break;
                }

                continue;
            }

            yield return Take();
        }
    }

    private Completed Take()
    {
        _pending--;
        Finished++;
        return _finished.Dequeue();
    }

    public void Dispose() => _slots.Dispose();

    internal sealed class Completed
    {
        public Completed(int index, object target, TResult? result, Exception? error)
        {
            Index = index;
            Target = target;
            Result = result;
            Error = error;
        }

        /// <summary>Position of the target in the input (0-based).</summary>
        public int Index { get; }

        public object Target { get; }

        public TResult? Result { get; }

        public Exception? Error { get; }
    }
}
