using System;
using System.Net;
using DanePS.Engine;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;

namespace DanePS.Tests.Reports;

/// <summary>
/// Results made in the test, for what no fixture server says: text that breaks formats (quotes, backslashes, line
/// breaks, '|', markup, control characters) in host names, summaries and findings, and every verdict.
/// </summary>
internal static class HostileResults
{
    /// <summary>Everything a format must escape, in one string.</summary>
    public const string Text = "a|b \"quoted\" back\\slash\nnew line <script>alert(1)</script> <img src=x onerror=alert(2)> & ]]> 'single' `tick` *star* _under_ \u0001ctl";

    public const string HostName = "evil\"|<b>host\\x.test";

    public static DaneEndpointResult Endpoint(DaneVerdict verdict, string hostName = HostName, string? address = "192.0.2.7", int port = 25,
        FindingSeverity? findingSeverity = FindingSeverity.Warning, string? mailDomain = null, DateTimeOffset? signatureExpiration = null)
    {
        var set = new TlsaRecordSet(hostName, port, "tcp")
        {
            DnssecStatus = DnssecStatus.Secure,
            Outcome = TlsaLookupOutcome.Found,
            MailDomain = mailDomain,
            SignatureExpiration = signatureExpiration,
        };
        var result = new DaneEndpointResult(set, address is null ? null : IPAddress.Parse(address))
        {
            Verdict = verdict,
            Summary = "Summary: " + Text,
            PublicKey = "EC P-256",
        };
        if (findingSeverity is { } severity)
        {
            result.AddFinding(DaneFindingCode.StaleRecord, severity, "Finding: " + Text);
        }

        return result;
    }

    public static DaneMailDomainResult MailDomain(string domain, DaneVerdict verdict, params DaneEndpointResult[] endpoints)
    {
        var result = new DaneMailDomainResult(domain)
        {
            Verdict = verdict,
            Summary = "Domain summary: " + Text,
            MxDnssecStatus = DnssecStatus.Secure,
            MxHosts = ReadableList.Of(new[] { HostName }),
            Endpoints = ReadableList.Of(endpoints, "\n"),
        };
        foreach (var e in endpoints)
        {
            foreach (var f in e.Findings)
            {
                result.AddFinding(f);
            }
        }

        return result;
    }
}
