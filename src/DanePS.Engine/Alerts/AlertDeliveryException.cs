using System;

namespace DanePS.Engine.Alerts;

/// <summary>A channel did not accept a message: HTTP 4xx/5xx, a Telegram refusal, an SMTP refusal, a timeout.</summary>
public sealed class AlertDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlertDeliveryException(string message, int attempts, bool transient, Exception? innerException)
        : base(message, innerException)
    {
        Attempts = attempts;
        Transient = transient;
    }

    /// <summary>Creates an empty exception.</summary>
    public AlertDeliveryException()
        : this(string.Empty, 0, false, null)
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public AlertDeliveryException(string message)
        : this(message, 0, false, null)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public AlertDeliveryException(string message, Exception innerException)
        : this(message, 0, false, innerException)
    {
    }

    /// <summary>How many times the message was tried.</summary>
    public int Attempts { get; }

    /// <summary>Whether the last failure was of a kind that may pass (timeout, 429, 5xx, SMTP 4xx).</summary>
    public bool Transient { get; }

    /// <summary>How long the server asked to wait before the next attempt.</summary>
    internal TimeSpan? RetryAfter { get; set; }
}
