namespace DanePS.Engine.Dns;

/// <summary>Why a DNS lookup gave no trustworthy answer.</summary>
public enum DnsFailure
{
    /// <summary>The resolver did not answer in time.</summary>
    Timeout,
    /// <summary>The resolver answered SERVFAIL, and also with checking disabled: the zone's servers are broken or unreachable.</summary>
    ServerFailure,
    /// <summary>DNSSEC validation failed: SERVFAIL, while the same query with checking disabled returns data.</summary>
    Bogus,
    /// <summary>The answer cannot be trusted either way (e.g. a denial from a resolver that does not validate).</summary>
    Indeterminate,
    /// <summary>The resolver refused the query.</summary>
    Refused,
    /// <summary>The name does not exist: a mail domain (NXDOMAIN for its MX), or a host (NXDOMAIN for its addresses).</summary>
    NoSuchDomain,
    /// <summary>The domain publishes a null MX (RFC 7505): it accepts no mail.</summary>
    NullMx,
    /// <summary>A network or protocol error talking to the resolver.</summary>
    Transport,
    /// <summary>The response could not be parsed, or its answer section does not answer the question asked.</summary>
    MalformedResponse,
    /// <summary>The response belongs to another query: another message id, or another question.</summary>
    MismatchedResponse,
    /// <summary>
    /// The resolver removes DNSSEC records (answers without RRSIGs, or without EDNS), or ignores the CD bit: DanePS
    /// cannot validate through it. Another resolver (-Server) is needed.
    /// </summary>
    ResolverRemovesDnssec,
}
