using System;
using System.Collections.Generic;
using DanePS.Engine.Alerts;
using DanePS.Engine.Dns;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// A whole DANE watch: what to check, how to resolve, when to warn, and who is told. Made (and validated) by
/// <see cref="MonitorSettingsReader"/> from a settings file or hashtable, or built directly for the plain parameters.
/// </summary>
public sealed class MonitorSettings
{
    /// <summary>The endpoints checked as Test-DaneEndpoint checks them.</summary>
    public IList<MonitorEndpoint> Endpoints { get; } = new List<MonitorEndpoint>();

    /// <summary>The mail domains checked as Test-DaneMailDomain checks them (ASCII form).</summary>
    public IList<string> MailDomains { get; } = new List<string>();

    /// <summary>Resolvers (IP or IP:port); the system's when empty.</summary>
    public IList<string> Servers { get; } = new List<string>();

    /// <summary>One DNS query attempt's timeout.</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>DNS retries after a timeout.</summary>
    public int DnsRetries { get; set; } = 2;

    /// <summary>Every DNS query over TCP.</summary>
    public bool DnsTcpOnly { get; set; }

    /// <summary>Who validates DNSSEC.</summary>
    public DnssecValidationMode DnssecValidation { get; set; } = DnssecValidationMode.Auto;

    /// <summary>Trust anchors for local validation, one DS or DNSKEY record each (from Dns.TrustAnchorPath); the IANA root's when empty.</summary>
    public IList<string> TrustAnchors { get; } = new List<string>();

    /// <summary>Deadline for each connection.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many targets are checked at once.</summary>
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>One handshake per address instead of one per key type.</summary>
    public bool SingleHandshake { get; set; }

    /// <summary>Warn when more TLSA records than this are published.</summary>
    public int MaxRecords { get; set; } = 2;

    /// <summary>Warn when a certificate expires within this many days.</summary>
    public int CertificateExpiryDays { get; set; } = 21;

    /// <summary>Warn when TLSA RRSIGs expire within this many days.</summary>
    public int RrsigExpiryDays { get; set; } = 7;

    /// <summary>The alert channels.</summary>
    public IList<AlertChannel> Channels { get; } = new List<AlertChannel>();

    /// <summary>The alert state file; the default one when null.</summary>
    public string? StatePath { get; set; }

    /// <summary>How long the same fault is not announced again on a channel.</summary>
    public TimeSpan SuppressFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long to wait for another run holding the state file's lock.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The IMAP mailbox TLS-RPT reports arrive in, read in every run; null for none.</summary>
    public TlsRptMailboxSettings? TlsRptMailbox { get; set; }

    /// <summary>The file the settings were read from, if any.</summary>
    public string? SourcePath { get; set; }

    /// <summary>The DNS options these settings make.</summary>
    public DnsResolverOptions ToDnsOptions()
    {
        var options = new DnsResolverOptions
        {
            Timeout = DnsTimeout,
            Retries = DnsRetries,
            UseTcpOnly = DnsTcpOnly,
            Validation = DnssecValidation,
            SignatureExpiryWarning = TimeSpan.FromDays(RrsigExpiryDays),
        };
        foreach (var s in Servers)
        {
            options.Servers.Add(DnsResolverOptions.ParseServer(s));
        }

        foreach (var anchor in TrustAnchors)
        {
            options.TrustAnchors.Add(anchor);
        }

        return options;
    }
}
