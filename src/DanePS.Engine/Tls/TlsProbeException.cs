using System;

namespace DanePS.Engine.Tls;

/// <summary>A probe that could not obtain the server's certificates.</summary>
public sealed class TlsProbeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TlsProbeException(TlsProbeFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>Creates the exception.</summary>
    public TlsProbeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TlsProbeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TlsProbeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where it failed.</summary>
    public TlsProbeFailure Failure { get; } = TlsProbeFailure.NetworkError;
}
