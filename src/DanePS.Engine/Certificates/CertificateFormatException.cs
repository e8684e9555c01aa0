using System;

namespace DanePS.Engine.Certificates;

/// <summary>The input is not a certificate or key DanePS can read.</summary>
public sealed class CertificateFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public CertificateFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CertificateFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CertificateFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
