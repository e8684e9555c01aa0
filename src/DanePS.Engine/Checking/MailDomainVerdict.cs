using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DanePS.Engine.Dns;

namespace DanePS.Engine.Checking;

/// <summary>
/// The verdict on a mail domain: from its MX lookup when that gave nothing to check, otherwise from the worst of its
/// endpoints, with the domain's own findings (implicit MX, missing MX hosts, MX hosts without DANE) before theirs.
/// </summary>
internal static class MailDomainVerdict
{
    /// <summary>The verdict when the MX lookup failed or the domain publishes a null MX (never NoSuchDomain: that is an error).</summary>
    public static DaneMailDomainResult ForLookupFailure(MailDomainLookup lookup)
    {
        var result = new DaneMailDomainResult(lookup.Domain) { MxDnssecStatus = lookup.MxDnssecStatus, DnssecValidation = lookup.DnssecValidation };
        if (lookup.Failure == DnsFailure.NullMx)
        {
            result.Verdict = DaneVerdict.NotDane;
            result.Summary = lookup.FailureMessage!;
        }
        else
        {
            result.Verdict = DaneVerdict.DnssecFailure;
            result.Summary = $"The MX lookup failed ({lookup.Failure}): {lookup.FailureMessage} A DANE client defers mail to {lookup.Domain}.";
        }

        return result;
    }

    /// <summary>The verdict over every endpoint of every MX host.</summary>
    public static DaneMailDomainResult ForEndpoints(MailDomainLookup lookup, IEnumerable<DaneEndpointResult> endpoints)
    {
        var result = new DaneMailDomainResult(lookup.Domain)
        {
            MxDnssecStatus = lookup.MxDnssecStatus,
            DnssecValidation = lookup.DnssecValidation,
            MxHosts = ReadableList.Of(lookup.MxHosts.Select(h => h.Host)),
            Endpoints = ReadableList.Of(endpoints, "\n"),
        };
        Summarize(result, lookup);

        // The domain owns every finding its view shows: a finding shared by a host's endpoints (about its RRset) once.
        var seen = new HashSet<DaneFinding>();
        foreach (var f in result.Endpoints.SelectMany(x => x.Findings).Where(seen.Add))
        {
            result.AddFinding(f);
        }

        return result;
    }

    /// <summary>
    /// Notes the domain's TLS-RPT record, and warns (<see cref="DaneFindingCode.TlsRptMissing"/>) when a domain that
    /// uses DANE has no valid one: the senders' view of its failures then reaches nobody. A failed lookup only says so.
    /// </summary>
    public static void AddTlsRpt(DaneMailDomainResult result, TlsRpt.TlsRptRecord record)
    {
        result.TlsRptStatus = record.Status;
        result.TlsRptRecord = record.Text;
        result.TlsRptRua = ReadableList.Of(record.Rua);
        if (result.Verdict == DaneVerdict.NotDane || record.Status is TlsRpt.TlsRptRecordStatus.Valid or TlsRpt.TlsRptRecordStatus.LookupFailed)
        {
            return;
        }

        var owner = TlsRpt.TlsRptRecord.OwnerNameFor(result.MailDomain);
        result.AddFinding(new DaneFinding(DaneFindingCode.TlsRptMissing, FindingSeverity.Warning,
            $"{result.MailDomain} uses DANE but has no valid TLS-RPT record at {owner} ({record.Problem}): senders report none of the DANE failures they see. Publish one TXT record, e.g. \"v=TLSRPTv1; rua=mailto:tls-reports@{result.MailDomain}\", and read the reports with Get-TlsRptReport.",
            result.MailDomain, 25, null, null));
    }

    private static void Summarize(DaneMailDomainResult result, MailDomainLookup lookup)
    {
        var e = result.Endpoints;
        if (lookup.ImplicitMx)
        {
            result.AddFinding(new DaneFinding(DaneFindingCode.ImplicitMx, FindingSeverity.Information, $"{result.MailDomain} has no MX records; mail goes to the domain itself (RFC 5321 §5.1).", result.MailDomain, 25, null, null));
        }

        foreach (var missing in e.Where(x => x.Verdict == DaneVerdict.NoSuchHost))
        {
            result.AddFinding(new DaneFinding(DaneFindingCode.MxHostNotFound, FindingSeverity.Warning,
                $"MX host {missing.HostName} does not exist: mail cannot go to it; fix or remove the MX record.", missing.HostName, missing.Port, null, null));
        }

        if (DaneApplicability.ForMx(lookup.MxDnssecStatus, result.MailDomain) is { } mx)
        {
            result.Verdict = mx.Verdict;
            result.Summary = mx.Reason;
            return;
        }

        DaneVerdict Worst(params DaneVerdict[] order) => order.First(v => e.Any(x => x.Verdict == v));
        if (e.Any(x => x.Verdict is DaneVerdict.DnssecFailure or DaneVerdict.Fail or DaneVerdict.Unreachable or DaneVerdict.NoSuchHost))
        {
            result.Verdict = Worst(DaneVerdict.DnssecFailure, DaneVerdict.Fail, DaneVerdict.Unreachable, DaneVerdict.NoSuchHost);
            var bad = e.Where(x => x.Verdict == result.Verdict).ToList();
            result.Summary = string.Format(CultureInfo.InvariantCulture, "{0} of {1} endpoint(s) {2}: {3}", bad.Count, e.Count,
                result.Verdict switch
                {
                    DaneVerdict.Fail => "fail DANE",
                    DaneVerdict.DnssecFailure => "have a DNSSEC failure",
                    DaneVerdict.NoSuchHost => "do not exist",
                    _ => "are unreachable",
                },
                string.Join("; ", bad.Select(x => x.Address is null ? $"{x.HostName}: {x.Summary}" : $"{x.HostName} [{x.Address}] {x.PublicKey}: {x.Summary}")));
            return;
        }

        var notDane = e.Where(x => x.Verdict == DaneVerdict.NotDane).Select(x => x.HostName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (notDane.Count == result.MxHosts.Count)
        {
            result.Verdict = DaneVerdict.NotDane;
            result.Summary = $"No MX host of {result.MailDomain} has usable, secure TLSA records: DANE does not apply.";
            return;
        }

        result.Verdict = DaneVerdict.Pass;
        result.Summary = string.Format(CultureInfo.InvariantCulture, "All {0} DANE endpoint(s) of {1} pass.", e.Count(x => x.Verdict == DaneVerdict.Pass), result.MailDomain);
        foreach (var host in notDane)
        {
            result.AddFinding(new DaneFinding(DaneFindingCode.MxHostWithoutDane, FindingSeverity.Warning,
                $"MX host {host} publishes no usable, secure TLSA records: mail sent to it is not DANE-protected and can be downgraded.", host, 25, null, null));
        }
    }
}
