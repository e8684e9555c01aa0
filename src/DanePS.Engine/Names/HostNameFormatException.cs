using System;

namespace DanePS.Engine.Names;

/// <summary>A text is not a host name: <see cref="Problem"/> says why, the message says how to fix it.</summary>
public sealed class HostNameFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public HostNameFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HostNameFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public HostNameFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a text and its problem.</summary>
    public HostNameFormatException(string? input, HostNameProblem problem, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Input = input;
        Problem = problem;
    }

    /// <summary>The text as given.</summary>
    public string? Input { get; }

    /// <summary>What is wrong with it.</summary>
    public HostNameProblem Problem { get; }
}
