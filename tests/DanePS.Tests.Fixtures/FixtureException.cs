using System;

namespace DanePS.Tests.Fixtures;

/// <summary>
/// A fixture could not be built or started: a program is missing (the message names the Debian package), or a
/// tool or server refused its input or configuration (the message carries the program's own error text and log).
/// </summary>
public sealed class FixtureException : Exception
{
    public FixtureException()
    {
    }

    public FixtureException(string message)
        : base(message)
    {
    }

    public FixtureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
