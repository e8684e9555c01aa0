using System;
using System.IO;

namespace DanePS.Engine.Alerts;

/// <summary>Another run held the alert state file's lock for longer than the lock timeout.</summary>
public sealed class AlertStateLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public AlertStateLockedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty exception.</summary>
    public AlertStateLockedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public AlertStateLockedException(string message)
        : base(message)
    {
    }
}
