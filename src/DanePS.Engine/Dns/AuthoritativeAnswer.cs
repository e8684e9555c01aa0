using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace DanePS.Engine.Dns;

/// <summary>What one authoritative server says about a TLSA RRset.</summary>
public sealed class AuthoritativeAnswer
{
    internal AuthoritativeAnswer(string serverName, IPAddress address, long? serial, IReadOnlyList<string> records, string? error)
    {
        ServerName = serverName;
        Address = address.ToString();
        Serial = serial;
        Records = ReadableList.Of(records);
        Error = error;
    }

    /// <summary>The NS name.</summary>
    public string ServerName { get; }

    /// <summary>The address asked, as text.</summary>
    public string Address { get; }

    /// <summary>The zone's SOA serial on that server.</summary>
    public long? Serial { get; }

    /// <summary>The TLSA records it serves, in canonical text, sorted.</summary>
    public ReadableList<string> Records { get; }

    /// <summary>Why it gave no answer, if it did not.</summary>
    public string? Error { get; }

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}) serial {2}: {3}", ServerName, Address, Serial, Error ?? Records.Count + " record(s)");
}
