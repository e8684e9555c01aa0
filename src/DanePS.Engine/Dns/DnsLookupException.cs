using System;

namespace DanePS.Engine.Dns;

/// <summary>A DNS lookup gave no trustworthy answer; the failure kind is in the ErrorId and the result object.</summary>
public sealed class DnsLookupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DnsLookupException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DnsLookupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DnsLookupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
