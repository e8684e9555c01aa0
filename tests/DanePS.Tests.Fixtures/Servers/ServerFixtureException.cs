using System;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>
/// A test server could not be started: a program is missing (the message names the Debian package) or the
/// server refused its configuration (the message carries the server's own error text).
/// </summary>
public sealed class ServerFixtureException : Exception
{
    public ServerFixtureException()
    {
    }

    public ServerFixtureException(string message)
        : base(message)
    {
    }

    public ServerFixtureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
