using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tasks = System.Threading.Tasks;

namespace DanePS.Engine.Dnssec;

/// <summary>
/// A bounded cache of validation results (zone keys, zone cuts, DS and DNSKEY answers) for one reader. Concurrent
/// asks for the same key share one task, so 500 hosts in one zone fetch its keys once; a result is kept until the
/// expiry it gives (its TTLs and signature expirations), and no entry outlives <see cref="MaxAge"/>.
/// </summary>
internal sealed class ValidatorCache<T>
{
    /// <summary>Entries kept at most; past it, expired entries go first, then the oldest.</summary>
    public const int MaxEntries = 4096;

    /// <summary>Longest a result is kept, whatever its TTL says.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Func<T, DateTimeOffset> _expiry;
    private readonly Func<DateTimeOffset> _clock;
    private long _tick;

    public ValidatorCache(Func<T, DateTimeOffset> expiry, Func<DateTimeOffset> clock)
    {
        _expiry = expiry;
        _clock = clock;
    }

    public int Count => _entries.Count;

    public Task<T> GetAsync(string key, Func<Task<T>> factory)
    {
        while (true)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (!existing.Task.IsCompleted || existing.Fresh(_clock()))
                {
                    return existing.Task;
                }

                _entries.TryRemove(key, out _);
                continue;
            }

            var lazy = new Entry(Interlocked.Increment(ref _tick));
            if (!_entries.TryAdd(key, lazy))
            {
                continue;
            }

            Trim();
            _ = lazy.StartAsync(factory, _expiry, _clock);
            return lazy.Task;
        }
    }

    private void Trim()
    {
        if (_entries.Count <= MaxEntries)
        {
            return;
        }

        var now = _clock();
        foreach (var stale in _entries.Where(e => e.Value.Task.IsCompleted && !e.Value.Fresh(now)).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(stale, out _);
        }

        foreach (var old in _entries.Where(e => e.Value.Task.IsCompleted).OrderBy(e => e.Value.Tick).Take(_entries.Count - MaxEntries).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(old, out _);
        }
    }

    private sealed class Entry
    {
        private readonly TaskCompletionSource<T> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private DateTimeOffset _expires = DateTimeOffset.MinValue;

        public Entry(long tick)
        {
            Tick = tick;
        }

        public long Tick { get; }

        public Task<T> Task => _source.Task;

        public bool Fresh(DateTimeOffset now) => Task.Status == TaskStatus.RanToCompletion && now < _expires;

        public async Tasks.Task StartAsync(Func<Task<T>> factory, Func<T, DateTimeOffset> expiry, Func<DateTimeOffset> clock)
        {
            try
            {
                var value = await factory().ConfigureAwait(false);
                var expires = expiry(value);
                var cap = clock() + MaxAge;
                _expires = expires < cap ? expires : cap;
                _source.TrySetResult(value);
            }
            catch (Exception ex)
            {
                _source.TrySetException(ex);
            }
        }
    }
}
