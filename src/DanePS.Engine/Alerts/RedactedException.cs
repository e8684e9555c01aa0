using System;

namespace DanePS.Engine.Alerts;

/// <summary>Stands in for an exception whose message could carry a secret: its type name and masked message.</summary>
public sealed class RedactedException : Exception
{
    /// <summary>Creates the stand-in.</summary>
    public RedactedException(string originalType, string message, Exception? innerException)
        : base(message, innerException) => OriginalType = originalType;

    /// <summary>Creates an empty stand-in.</summary>
    public RedactedException()
        : this(string.Empty, string.Empty, null)
    {
    }

    /// <summary>Creates a stand-in with a message.</summary>
    public RedactedException(string message)
        : this(string.Empty, message, null)
    {
    }

    /// <summary>Creates a stand-in with a message and an inner exception.</summary>
    public RedactedException(string message, Exception innerException)
        : this(string.Empty, message, innerException)
    {
    }

    /// <summary>The full name of the exception type it stands in for.</summary>
    public string OriginalType { get; }

    /// <inheritdoc />
    public override string ToString() => $"{OriginalType}: {Message}" + (InnerException is null ? string.Empty : " ---> " + InnerException);
}
