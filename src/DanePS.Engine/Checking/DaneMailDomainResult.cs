using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Checking;

/// <summary>The DANE check of a mail domain: every MX host, every address, every key type.</summary>
public sealed class DaneMailDomainResult
{
    private readonly List<DaneFinding> _findings = new();

    internal DaneMailDomainResult(string mailDomain)
    {
        MailDomain = mailDomain;
        Findings = new ReadableList<DaneFinding>(_findings, "\n");
    }

    /// <summary>The mail domain.</summary>
    public string MailDomain { get; }

    /// <summary>The mail domain with U-labels for people ("bücher.example"); the same as <see cref="MailDomain"/> unless internationalised.</summary>
    public string UnicodeMailDomain => Names.HostName.ToUnicode(MailDomain);

    /// <summary>The worst verdict over all endpoints (or of the MX lookup).</summary>
    public DaneVerdict Verdict { get; internal set; }

    /// <summary>One line on the verdict.</summary>
    public string Summary { get; internal set; } = string.Empty;

    /// <summary>DNSSEC status of the MX RRset.</summary>
    public DnssecStatus? MxDnssecStatus { get; internal set; }

    /// <summary>Who validated the DNS answers: the resolver (its AD bit) or DanePS itself (Local).</summary>
    public DnssecValidationMode DnssecValidation { get; internal set; } = DnssecValidationMode.Resolver;

    /// <summary>The MX hosts by preference (the domain itself for an implicit MX).</summary>
    public ReadableList<string> MxHosts { get; internal set; } = ReadableList.Empty<string>();

    /// <summary>
    /// The domain's TLS-RPT record (<c>_smtp._tls.&lt;domain&gt;</c> TXT, RFC 8460 §3): Valid, NotPublished, Multiple,
    /// Malformed or LookupFailed. Without a valid one, senders send no reports of the failures they see.
    /// </summary>
    public TlsRpt.TlsRptRecordStatus TlsRptStatus { get; internal set; }

    /// <summary>The TLS-RPT record's text (its strings joined), when there is exactly one; null otherwise.</summary>
    public string? TlsRptRecord { get; internal set; }

    /// <summary>The rua= URIs of a valid TLS-RPT record, where senders send their reports.</summary>
    public ReadableList<string> TlsRptRua { get; internal set; } = ReadableList.Empty<string>();

    /// <summary>Every endpoint result.</summary>
    public ReadableList<DaneEndpointResult> Endpoints { get; internal set; } = ReadableList.Empty<DaneEndpointResult>();

    /// <summary>
    /// Every finding: the domain's own, then each endpoint's (a finding about a host's RRset once, not once per address),
    /// each naming the host, port and address it is about.
    /// </summary>
    public ReadableList<DaneFinding> Findings { get; }

    /// <summary>How many endpoints passed.</summary>
    public int PassedCount => Endpoints.Count(e => e.Verdict == DaneVerdict.Pass);

    /// <summary>Whole check time in milliseconds.</summary>
    public double ElapsedMs { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{MailDomain}: {Verdict} — {Summary}";

    internal void AddFinding(DaneFinding finding) => _findings.Add(finding);
}
