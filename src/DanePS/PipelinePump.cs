using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

namespace DanePS;

/// <summary>
/// Runs engine work off the pipeline thread and carries what it reports (verbose lines, progress, objects) back to
/// the pipeline thread, the only one allowed to write, as it happens: a long rollover streams its steps and its
/// progress instead of writing them all at the end. One pump serves one piece of work.
/// </summary>
internal sealed class PipelinePump : IDisposable
{
    private readonly BlockingCollection<Action> _actions = new();

    /// <summary>Queues an action for the pipeline thread; silently dropped once the work has ended.</summary>
    public void Post(Action action)
    {
        try
        {
            _actions.Add(action);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The work is over (e.g. after Ctrl+C): nobody is left to write to.
        }
    }

    /// <summary>Runs <paramref name="work"/> and performs its posted actions on the calling thread until it ends; rethrows its exception.</summary>
    public T Run<T>(Func<Task<T>> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            finally
            {
                _actions.CompleteAdding();
            }
        });
        foreach (var action in _actions.GetConsumingEnumerable())
        {
            action();
        }

        return task.GetAwaiter().GetResult();
    }

    public void Dispose() => _actions.Dispose();
}
