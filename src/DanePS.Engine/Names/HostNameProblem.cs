namespace DanePS.Engine.Names;

/// <summary>Why a text is not a host name DanePS can look up and connect to.</summary>
public enum HostNameProblem
{
    /// <summary>Empty or only white space (or the DNS root, ".").</summary>
    Empty,
    /// <summary>A URL such as "https://mx.example.com/": the host name is inside it.</summary>
    Url,
    /// <summary>"host:port": the port goes in -Port.</summary>
    HostAndPort,
    /// <summary>An IPv4 or IPv6 address: DANE needs a name, under which the TLSA records are published.</summary>
    IPAddress,
    /// <summary>A TLSA owner name such as "_25._tcp.mx.example.com": give the host name and the port separately.</summary>
    ServiceLabels,
    /// <summary>Two dots in a row, or a leading dot.</summary>
    EmptyLabel,
    /// <summary>A label longer than 63 octets (RFC 1035 §2.3.4), in its A-label form.</summary>
    LabelTooLong,
    /// <summary>A name longer than 253 octets (RFC 1035 §2.3.4: 255 on the wire), in its A-label form.</summary>
    NameTooLong,
    /// <summary>A character that is not a letter, digit or hyphen (RFC 1123 §2.1, RFC 5890).</summary>
    InvalidCharacter,
    /// <summary>A label that begins or ends with a hyphen (RFC 1123 §2.1).</summary>
    LeadingOrTrailingHyphen,
    /// <summary>An internationalised label IDNA cannot convert, or an "xn--" label that is not valid Punycode.</summary>
    InvalidInternationalizedLabel,
    /// <summary>The last label is all digits: no top-level domain is (RFC 3696 §2), so it is a mistyped address.</summary>
    NumericTopLevelLabel,
}
