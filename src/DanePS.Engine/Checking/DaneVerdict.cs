namespace DanePS.Engine.Checking;

/// <summary>The verdict on one endpoint (address, port, key type), or on a whole mail domain.</summary>
public enum DaneVerdict
{
    /// <summary>A usable, secure TLSA record authenticates what the server presents.</summary>
    Pass,
    /// <summary>Secure, usable TLSA records exist, but none matches: a DANE client will not deliver.</summary>
    Fail,
    /// <summary>The TLSA (or MX) answer is bogus or cannot be trusted either way: a DANE client defers mail.</summary>
    DnssecFailure,
    /// <summary>No usable, secure TLSA records: DANE does not apply.</summary>
    NotDane,
    /// <summary>No TLS session could be had with the server.</summary>
    Unreachable,
    /// <summary>The host name does not exist (NXDOMAIN for its addresses): there is no server, and "no TLSA" would be the wrong answer.</summary>
    NoSuchHost,
}
