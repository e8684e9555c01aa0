using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS;

/// <summary>
/// Runs checks concurrently, at most <c>throttle</c> at a time, and hands finished ones back to the pipeline
/// thread (the only thread allowed to write output) as they complete, so results stream out.
/// </summary>
internal sealed class ThrottledRunner<TResult> : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly BlockingCollection<Completed> _done = new();
    private int _pending;

    public ThrottledRunner(int throttle) => _slots = new SemaphoreSlim(throttle, throttle);

    public int Started { get; private set; }

    public int Finished { get; private set; }

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

    // After Ctrl+C the cmdlet may be gone (and this runner disposed) before the last checks notice the
    // cancellation: what they report then has nobody to go to.
    private void Report(Completed completed)
    {
        try
        {
            _done.Add(completed);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
        }
    }

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

    /// <summary>The checks finished so far, without waiting.</summary>
    public IEnumerable<Completed> TakeFinished()
    {
        while (_done.TryTake(out var c))
        {
            _pending--;
            Finished++;
            yield return c;
        }
    }

    /// <summary>Every remaining check, each as soon as it finishes.</summary>
    public IEnumerable<Completed> TakeRemaining(CancellationToken ct)
    {
        while (_pending > 0)
        {
            Completed c;
            try
            {
                c = _done.Take(ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            _pending--;
            Finished++;
            yield return c;
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _done.Dispose();
    }

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
