using System;
using System.Threading;

namespace DanePS.Engine;

/// <summary>
/// A deadline that ends a wait on a socket by closing it. On netstandard2.0 a socket's connect and a UDP receive take
/// no cancellation token, and on .NET Framework a pending NetworkStream read ignores its token: closing the socket is
/// the only way to end them. The caller's token (Ctrl+C) ends the wait the same way.
/// </summary>
internal sealed class SocketDeadline : IDisposable
{
    private readonly CancellationToken _caller;
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _abort;

    /// <summary>Closes <paramref name="socket"/> when <paramref name="timeout"/> passes or <paramref name="cancellationToken"/> is cancelled.</summary>
    public SocketDeadline(IDisposable socket, TimeSpan timeout, CancellationToken cancellationToken)
        : this(socket.Dispose, timeout, cancellationToken)
    {
    }

    /// <summary>Calls <paramref name="abort"/> (which closes the socket) when <paramref name="timeout"/> passes or <paramref name="cancellationToken"/> is cancelled.</summary>
    public SocketDeadline(Action abort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _caller = cancellationToken;
        _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _source.CancelAfter(timeout);
        _abort = _source.Token.Register(abort);
    }

    /// <summary>Cancelled when the deadline passes or the caller cancels: for the calls that do take a token.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the deadline has passed or the caller cancelled.</summary>
    public bool IsCancellationRequested => _source.IsCancellationRequested;

    /// <summary>Whether the deadline itself has passed: cancelled, but not by the caller.</summary>
    public bool Expired => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

    public void Dispose()
    {
        _abort.Dispose();
        _source.Dispose();
    }
}
