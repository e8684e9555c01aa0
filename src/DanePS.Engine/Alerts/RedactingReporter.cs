using System;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>
/// The reporter alerting speaks to: every message passes through <see cref="SecretRedactor"/> before it reaches the
/// reporter it wraps, so no token, webhook URL or password reaches a stream, whatever a channel or a server says.
/// </summary>
public sealed class RedactingReporter : IReporter
{
    private readonly IReporter _inner;
    private readonly SecretRedactor _redactor;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="redactor"/> knows the secrets (see <see cref="AlertDispatcher.CreateRedactor"/>).</summary>
    public RedactingReporter(IReporter inner, SecretRedactor redactor)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _redactor = redactor ?? throw new ArgumentNullException(nameof(redactor));
    }

    /// <inheritdoc />
    public void Verbose(string message) => _inner.Verbose(_redactor.Redact(message));

    /// <inheritdoc />
    public void Debug(string message) => _inner.Debug(_redactor.Redact(message));

    /// <inheritdoc />
    public void Warning(string message) => _inner.Warning(_redactor.Redact(message));
}
