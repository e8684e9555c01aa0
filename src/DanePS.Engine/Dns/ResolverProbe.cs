using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;

namespace DanePS.Engine.Dns;

/// <summary>
/// The resolver assessment of one reader: whether the resolver validates (AD on a known-signed DNSKEY), asked once,
/// whoever asks first, alongside the first lookups; and whether it has answered anything at all, so that once it
/// is known to be silent, later queries fail at once instead of each waiting out the deadline again.
/// </summary>
internal sealed class ResolverProbe : IDisposable
{
    private readonly LookupClient _client;
    private readonly DnsResolverOptions _options;
    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly object _lock = new();
    private Task<ResolverAssessment>? _probe;
    private int _answered;

    public ResolverProbe(LookupClient client, DnsResolverOptions options, IReadOnlyList<IPEndPoint> servers)
    {
        _client = client;
        _options = options;
        _servers = servers;
    }

    /// <summary>True once the assessment has found a resolver that answered nothing, and nothing has been answered since.</summary>
    public bool KnownSilent =>
        _probe is { Status: TaskStatus.RanToCompletion } probe && !probe.Result.Answered && Volatile.Read(ref _answered) == 0;

    /// <summary>
    /// Completes with true when the assessment, already under way, finds the resolver silent (nothing answered since
    /// either), with false when it finds otherwise; with false at once when no assessment has started.
    /// </summary>
    public Task<bool> WhenFoundSilentAsync()
    {
        Task<ResolverAssessment>? probe;
        lock (_lock)
        {
            probe = _probe;
        }

        if (probe is null)
        {
            return Task.FromResult(false);
        }

        return probe.IsCompleted
            ? Task.FromResult(KnownSilent)
            : probe.ContinueWith(_ => KnownSilent, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Any response from the resolver, even a broken one: it is there.</summary>
    public void NoteAnswer() => Volatile.Write(ref _answered, 1);

    /// <summary>The assessment; the probe is bounded by the query timeout and retries, the wait by <paramref name="ct"/>.</summary>
    public Task<ResolverAssessment> GetAsync(CancellationToken ct)
    {
        Task<ResolverAssessment> probe;
        lock (_lock)
        {
            probe = _probe ??= RunAsync();
        }

        return WithCancellation(probe, ct);
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    /// <summary>Waits for <paramref name="task"/>, but no longer than until <paramref name="ct"/> is cancelled.</summary>
    internal static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken ct)
    {
        if (!ct.CanBeCanceled || task.IsCompleted)
        {
            return await task.ConfigureAwait(false);
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (ct.Register(s => ((TaskCompletionSource<bool>)s!).TrySetResult(true), cancelled))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                throw new OperationCanceledException(ct);
            }
        }

        return await task.ConfigureAwait(false);
    }

    private async Task<ResolverAssessment> RunAsync()
    {
        try
        {
            var response = await _client.QueryAsync(new DnsQuestion(_options.ValidationProbeName, QueryType.DNSKEY), _lifetime.Token).ConfigureAwait(false);
            NoteAnswer();
            return new ResolverAssessment(response.Header.IsAuthenticData && response.Header.ResponseCode == DnsHeaderResponseCode.NoError, _servers);
        }
        catch (Exception ex) when (ex is DnsResponseParseException or DnsXidMismatchException)
        {
            // Something answered, with garbage: a resolver that proves nothing, so nothing is Secure on its word.
            NoteAnswer();
            return new ResolverAssessment(false, _servers);
        }
        catch (Exception ex) when (ex is DnsResponseException or SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // No answer to the probe. If other queries were answered, the resolver is up but proves nothing.
            return new ResolverAssessment(false, _servers, answered: Volatile.Read(ref _answered) == 1);
        }
    }
}
