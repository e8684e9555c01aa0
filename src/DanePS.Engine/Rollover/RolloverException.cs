using System;
using System.Collections.Generic;

namespace DanePS.Engine.Rollover;

/// <summary>Why a rollover stopped.</summary>
public enum RolloverFailure
{
    /// <summary>Another rollover holds the lock.</summary>
    Locked,

    /// <summary>The records did not reach every authoritative server in time.</summary>
    PropagationTimeout,

    /// <summary>The reload step failed (exception or non-zero exit status).</summary>
    ReloadFailed,

    /// <summary>After the reload, some address does not pass DANE with the staged key.</summary>
    VerificationFailed,

    /// <summary>The servers or DNS could not be read, so nothing can be decided safely.</summary>
    ObservationFailed,
}

/// <summary>A rollover stopped. Nothing was removed; the message says what each server presents.</summary>
public sealed class RolloverException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RolloverException(RolloverFailure failure, string message, IReadOnlyList<string>? presented = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        Presented = presented ?? Array.Empty<string>();
    }

    /// <summary>Creates the exception.</summary>
    public RolloverException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RolloverException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RolloverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The kind of failure.</summary>
    public RolloverFailure Failure { get; } = RolloverFailure.ObservationFailed;

    /// <summary>What each address presented when the run stopped.</summary>
    public IReadOnlyList<string> Presented { get; } = Array.Empty<string>();
}
