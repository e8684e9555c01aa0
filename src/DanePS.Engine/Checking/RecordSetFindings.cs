using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DanePS.Engine.Dns;
using DanePS.Engine.Matching;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Checking;

/// <summary>
/// Findings about a host's TLSA RRset as a whole (too many records, none usable, PKIX usages for SMTP, full-data
/// records, a trust anchor not sent, a rollover in progress, stale records) and the warnings of its DNS lookup, judged
/// against everything every address presented, and given to each of the host's results.
/// </summary>
internal static class RecordSetFindings
{
    /// <summary>Adds the RRset's findings, then its lookup's warnings, to every result of the host.</summary>
    public static void AddTo(TlsaRecordSet set, IReadOnlyList<DaneEndpointResult> results, DaneProfile profile, int maxRecords)
    {
        AddRecordSetFindings(set, results, profile, maxRecords);
        foreach (var warning in set.Warnings.Select(w => new DaneFinding(DaneFindingCode.DnsWarning, FindingSeverity.Warning, w, set.HostName, set.Port, null, null)).ToList())
        {
            foreach (var r in results)
            {
                r.AddFinding(warning);
            }
        }
    }

    /// <summary>Findings about the RRset as a whole, judged against everything every address presented.</summary>
    private static void AddRecordSetFindings(TlsaRecordSet set, IReadOnlyList<DaneEndpointResult> results, DaneProfile profile, int maxRecords)
    {
        if (set.Records.Count == 0)
        {
            return;
        }

        var findings = new List<DaneFinding>();
        void Add(DaneFindingCode code, FindingSeverity severity, string message) => findings.Add(new DaneFinding(code, severity, message, set.HostName, set.Port, null, null));
        var presented = results.SelectMany(r => r.PresentedChain).Select(c => c.Parsed).ToList();
        bool Usable(TlsaRecord r) => r.IsUsableUnder(profile);
        bool Matched(TlsaRecord r) => results.Any(x => x.Records.Any(e => ReferenceEquals(e.GetRecord(), r) && e.Outcome == TlsaRecordOutcome.Matched));
        bool MatchesSomething(TlsaRecord r) => Matched(r) || presented.Any(c => c.Matches(r));

        if (set.Records.Count > maxRecords)
        {
            Add(DaneFindingCode.TooManyRecords, FindingSeverity.Warning,
                $"{set.OwnerName} publishes {set.Records.Count} TLSA records; 1 to {maxRecords} is the norm (current key, plus the next one during a rollover). Remove what no longer matches.");
        }

        if (!set.Records.Any(Usable))
        {
            Add(DaneFindingCode.NoUsableRecords, FindingSeverity.Warning, $"None of the {set.Records.Count} TLSA records at {set.OwnerName} is usable{(profile == DaneProfile.Smtp ? " for SMTP" : string.Empty)}.");
        }

        foreach (var r in set.Records)
        {
            if (profile.Excludes(r.Usage))
            {
                Add(DaneFindingCode.PkixUsageOnSmtp, FindingSeverity.Warning, $"{r.ToShortString()}: {DaneProfileRules.Exclusion(r.Usage)}; publish DANE-EE(3) or DANE-TA(2) records.");
            }

            if (r.IsUsable && r.MatchingType == TlsaMatchingType.Full)
            {
                Add(DaneFindingCode.FullDataRecord, FindingSeverity.Warning, $"{r.ToShortString()}: matching type Full(0) publishes the whole {(r.Selector == TlsaSelector.Cert ? "certificate" : "key")}; SHA2-256(1) records are smaller and standard (RFC 7671 §10.1.2).");
            }
        }

        if (results.Any(x => x.Records.Any(e => e.TrustAnchorNotSent)))
        {
            Add(DaneFindingCode.TrustAnchorNotSent, FindingSeverity.Warning,
                "A DANE-TA record names an issuer the server does not send; servers must include the trust-anchor certificate in their chain (RFC 7671 §5.2.2).");
        }

        var unmatched = set.Records.Where(r => Usable(r) && !MatchesSomething(r)).ToList();
        var eeMatched = set.Records.Where(r => Usable(r) && r.Usage == TlsaUsage.DaneEe && Matched(r)).ToList();
        var taIssuer = set.Records.Where(r => Usable(r) && r.Usage == TlsaUsage.DaneTa
            && results.Any(x => x.Records.Any(e => ReferenceEquals(e.GetRecord(), r) && e.Outcome == TlsaRecordOutcome.Matched && e.Depth > 0))).ToList();

        // A record is stale, or the next key, only when every address (every key type probed) presented a chain that it
        // does not match: an address that did not answer may be exactly the server it is for.
        var notCompared = NotCompared(set, results);

        // A rollover is a state in which everything still passes; a failing endpoint makes an unmatched record stale.
        var allPass = notCompared is null && results.All(r => r.Verdict == DaneVerdict.Pass);
        if (allPass && eeMatched.Count > 0 && unmatched.Count == 1 && unmatched[0].Usage == TlsaUsage.DaneEe)
        {
            Add(DaneFindingCode.RolloverInProgress, FindingSeverity.Information,
                $"Two DANE-EE records for different keys: {eeMatched[0].ToShortString()} matches the key in use, {unmatched[0].ToShortString()} matches none the server presents — the next key published ahead (RFC 7671 §8.1), or the old one, to remove once the rollover is done.");
            unmatched.Clear();
        }
        else if (allPass && eeMatched.Count > 0 && taIssuer.Count > 0)
        {
            Add(DaneFindingCode.RolloverInProgress, FindingSeverity.Information,
                $"DANE-EE {eeMatched[0].ToShortString()} matches the leaf and DANE-TA {taIssuer[0].ToShortString()} its issuer: a new key from the same issuer stays authenticated while the EE record is updated.");
        }

        foreach (var r in unmatched)
        {
            if (notCompared is null)
            {
                Add(DaneFindingCode.StaleRecord, FindingSeverity.Warning, $"{r.ToShortString()} matches nothing any address of {set.HostName} presents: stale after a rollover? Remove it.");
            }
            else
            {
                Add(DaneFindingCode.NotCompared, FindingSeverity.Information,
                    $"{r.ToShortString()} matches nothing {set.HostName} presented, but not compared: {notCompared}. It may be the record of what did not answer; check again when every address answers.");
            }
        }

        foreach (var result in results)
        {
            foreach (var f in findings)
            {
                result.AddFinding(f);
            }
        }
    }

    /// <summary>What kept the RRset from being compared with every certificate of the host, in words; null when nothing did.</summary>
    public static string? NotCompared(TlsaRecordSet set, IReadOnlyList<DaneEndpointResult> results)
    {
        if (set.Addresses.Count == 0)
        {
            return $"{set.HostName} has no address";
        }

        var byAddress = results.GroupBy(r => r.Address).ToList();
        var unreachable = byAddress.Where(g => g.All(r => r.PresentedChain.Count == 0)).Select(g => g.Key).ToList();
        var partial = byAddress.Where(g => g.Any(r => r.PresentedChain.Count > 0) && g.Any(r => r.UncheckedKeyType is not null)).ToList();
        var parts = new List<string>();
        string Of(int count) => string.Format(CultureInfo.InvariantCulture, "{0} of {1} address{2}", count, byAddress.Count, byAddress.Count == 1 ? string.Empty : "es");
        if (unreachable.Count > 0)
        {
            parts.Add($"{Of(unreachable.Count)} unreachable ({string.Join(", ", unreachable)})");
        }

        if (partial.Count > 0)
        {
            var kinds = string.Join(" and ", partial.SelectMany(g => g).Select(r => r.UncheckedKeyType).OfType<TlsKeyType>().Distinct().Select(k => k == TlsKeyType.Rsa ? "RSA" : "ECDSA"));
            parts.Add($"the {kinds} certificate of {Of(partial.Count)} not fetched ({string.Join(", ", partial.Select(g => g.Key))})");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
