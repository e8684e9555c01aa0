using System;
using System.Collections.Generic;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Dns;

/// <summary>The MX view of a mail domain.</summary>
public sealed class MailDomainLookup
{
    internal MailDomainLookup(string domain) => Domain = domain;

    /// <summary>The mail domain.</summary>
    public string Domain { get; }

    /// <summary>DNSSEC status of the MX RRset.</summary>
    public DnssecStatus MxDnssecStatus { get; internal set; }

    /// <summary>Who validated the answers: the resolver (its AD bit) or DanePS itself (Local).</summary>
    public DnssecValidationMode DnssecValidation { get; internal set; } = DnssecValidationMode.Resolver;

    /// <summary>No MX: the domain itself is the mail host.</summary>
    public bool ImplicitMx { get; internal set; }

    /// <summary>The MX hosts with their preference, by preference (the domain itself without MX).</summary>
    internal IReadOnlyList<(string Host, int Preference)> MxHosts { get; set; } = Array.Empty<(string, int)>();

    /// <summary>Each MX host's TLSA RRset, by preference.</summary>
    public IReadOnlyList<TlsaRecordSet> Hosts { get; internal set; } = Array.Empty<TlsaRecordSet>();

    /// <summary>Why there is no MX answer to go on.</summary>
    public DnsFailure? Failure { get; internal set; }

    /// <summary>The failure in words.</summary>
    public string? FailureMessage { get; internal set; }
}
