using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Certificates;
using DanePS.Engine.Dns;
using DanePS.Engine.Matching;
using DanePS.Engine.Reporting;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Checking;

/// <summary>
/// Checks live servers as a DANE client would: the TLSA RRset from DNS, a TLS session with every address of
/// the host (and, where the server holds both, with its RSA and its ECDSA certificate), and the verdict.
/// </summary>
public sealed class DaneEndpointChecker
{
    private readonly DaneDnsReader _dns;
    private readonly EndpointCheckOptions _options;
    private readonly IReporter _reporter;

    /// <summary>
    /// Creates a checker that reads DNS through <paramref name="dns"/> and tells <paramref name="reporter"/> each stage
    /// of each probe (connect, STARTTLS, handshake) and each verdict.
    /// </summary>
    public DaneEndpointChecker(DaneDnsReader dns, EndpointCheckOptions options, IReporter? reporter = null)
    {
        _dns = dns ?? throw new ArgumentNullException(nameof(dns));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _reporter = reporter ?? NullReporter.Instance;
    }

    /// <summary>Looks up the host's TLSA records and addresses, then checks every address.</summary>
    public async Task<IReadOnlyList<DaneEndpointResult>> CheckHostAsync(string hostName, int port, CancellationToken cancellationToken)
    {
        var set = await _dns.GetTlsaAsync(hostName, port, "tcp", false, cancellationToken).ConfigureAwait(false);
        return await CheckAsync(set, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks every address of a TLSA lookup already made (e.g. Get-TlsaRecord output).</summary>
    public async Task<IReadOnlyList<DaneEndpointResult>> CheckAsync(TlsaRecordSet set, CancellationToken cancellationToken)
    {
        if (set is null)
        {
            throw new ArgumentNullException(nameof(set));
        }

        var clock = Stopwatch.StartNew();
        var protocol = _options.StartTls == StartTlsProtocol.Auto ? TlsProbeOptions.ForPort(set.Port) : _options.StartTls;
        var profile = _options.Profile ?? (set.Port == 25 ? DaneProfile.Smtp : DaneProfile.Generic);
        List<DaneEndpointResult> results;
        if (set.Addresses.Count == 0)
        {
            var none = new DaneEndpointResult(set, null) { StartTls = protocol };
            SetDnsVerdict(none, set);
            if (none.Verdict == DaneVerdict.Pass)
            {
                none.Verdict = DaneVerdict.Unreachable;
                none.Summary = $"{set.HostName} has no A or AAAA address" + (set.Warnings.Count > 0 ? $" ({string.Join(" ", set.Warnings)})" : ".");
            }

            results = new List<DaneEndpointResult> { none };
        }
        else
        {
            var perAddress = await Task.WhenAll(set.Addresses.Select(a => CheckAddressAsync(set, a.IPAddress, protocol, profile, cancellationToken))).ConfigureAwait(false);
            results = perAddress.SelectMany(r => r).ToList();
        }

        AddRecordSetFindings(set, results, profile);
        foreach (var warning in set.Warnings.Select(w => new DaneFinding(DaneFindingCode.DnsWarning, FindingSeverity.Warning, w, set.HostName, set.Port, null, null)).ToList())
        {
            foreach (var r in results)
            {
                r.AddFinding(warning);
            }
        }

        foreach (var r in results)
        {
            r.ElapsedMs = DaneEndpointResult.Milliseconds(clock.Elapsed);
            _reporter.Verbose(r.Address is null
                ? $"{r.HostName}:{r.Port}: match: {r.Verdict}: {r.Summary}"
                : $"{r.HostName}:{r.Port} [{r.Address}]{(r.PublicKey is null ? string.Empty : " " + r.PublicKey)}: match: {r.Verdict}: {r.Summary}");
        }

        return results;
    }

    /// <summary>Checks every MX host of a mail domain (or the domain itself without MX), every address and key type.</summary>
    /// <exception cref="DnsLookupException">The domain does not exist.</exception>
    public async Task<DaneMailDomainResult> CheckMailDomainAsync(string domain, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lookup = await _dns.ReadMxAsync(domain, cancellationToken).ConfigureAwait(false);
        var result = new DaneMailDomainResult(lookup.Domain) { MxDnssecStatus = lookup.MxDnssecStatus };
        switch (lookup.Failure)
        {
            case DnsFailure.NoSuchDomain:
                throw new DnsLookupException(lookup.FailureMessage!);
            case DnsFailure.NullMx:
                result.Verdict = DaneVerdict.NotDane;
                result.Summary = lookup.FailureMessage!;
                result.ElapsedMs = DaneEndpointResult.Milliseconds(clock.Elapsed);
                return result;
            case not null:
                result.Verdict = DaneVerdict.DnssecFailure;
                result.Summary = $"The MX lookup failed ({lookup.Failure}): {lookup.FailureMessage} A DANE client defers mail to {lookup.Domain}.";
                result.ElapsedMs = DaneEndpointResult.Milliseconds(clock.Elapsed);
                return result;
        }

        result.MxHosts = ReadableList.Of(lookup.MxHosts.Select(h => h.Host));

        // Every MX host at once, each checked as soon as its own lookup is done.
        var endpoints = await Task.WhenAll(lookup.MxHosts.Select(async h =>
            await CheckAsync(await _dns.GetMxHostAsync(lookup, h, false, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        result.Endpoints = ReadableList.Of(endpoints.SelectMany(e => e), "\n");
        Summarize(result, lookup);

        // The domain owns every finding its view shows: a finding shared by a host's endpoints (about its RRset) once.
        var seen = new HashSet<DaneFinding>();
        foreach (var f in result.Endpoints.SelectMany(x => x.Findings).Where(seen.Add))
        {
            result.AddFinding(f);
        }

        result.ElapsedMs = DaneEndpointResult.Milliseconds(clock.Elapsed);
        _reporter.Verbose($"{result.MailDomain}: verdict: {result.Verdict}: {result.Summary}");
        return result;
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

    private async Task<List<DaneEndpointResult>> CheckAddressAsync(TlsaRecordSet set, IPAddress address, StartTlsProtocol protocol, DaneProfile profile, CancellationToken ct)
    {
        var results = new List<DaneEndpointResult>();
        TlsProbeResult first;
        try
        {
            first = await ProbeAsync(set, address, protocol, TlsKeyType.Any, ct).ConfigureAwait(false);
        }
        catch (TlsProbeException ex)
        {
            var failed = new DaneEndpointResult(set, address) { StartTls = protocol, ConnectionFailure = ex.Failure };
            SetDnsVerdict(failed, set);
            if (failed.Verdict == DaneVerdict.Pass)
            {
                failed.Verdict = DaneVerdict.Unreachable;
                failed.Summary = $"{ex.Failure}: {ex.Message}";
            }
            else
            {
                failed.AddFinding(DaneFindingCode.Unreachable, FindingSeverity.Warning, $"{ex.Failure}: {ex.Message}");
            }

            results.Add(failed);
            return results;
        }

        results.Add(Evaluate(set, first, profile));
        if (!_options.ProbeEachKeyType)
        {
            return results;
        }

        var leafKey = first.ParsedChain.Count > 0 ? first.ParsedChain[0].KeyDescription : string.Empty;
        TlsKeyType? other = leafKey.StartsWith("EC", StringComparison.Ordinal) ? TlsKeyType.Rsa : leafKey.StartsWith("RSA", StringComparison.Ordinal) ? TlsKeyType.Ecdsa : null;
        if (other is null)
        {
            return results;
        }

        try
        {
            var second = await ProbeAsync(set, address, protocol, other.Value, ct).ConfigureAwait(false);
            if (second.ParsedChain.Count > 0 && !second.ParsedChain[0].SameAs(first.ParsedChain[0]))
            {
                results.Add(Evaluate(set, second, profile));
            }
        }
        catch (TlsProbeException ex) when (ex.Failure == TlsProbeFailure.HandshakeFailed)
        {
            // The server holds no certificate of the other key type: one result is the whole story.
        }
        catch (TlsProbeException ex)
        {
            results[0].UncheckedKeyType = other;
            results[0].AddFinding(DaneFindingCode.KeyTypeProbeFailed, FindingSeverity.Warning,
                $"A second handshake asking for the {other} certificate failed ({ex.Failure}: {ex.Message}); a certificate of that type, if the server has one, was not checked.");
        }

        return results;
    }

    // SNI is the TLSA base domain (RFC 7672 §8.1).
    private Task<TlsProbeResult> ProbeAsync(TlsaRecordSet set, IPAddress address, StartTlsProtocol protocol, TlsKeyType keyType, CancellationToken ct) =>
        TlsProbe.ProbeAsync(set.TlsaBaseDomain, address, set.Port, protocol, _options.Probe.WithKeyType(keyType), _reporter, ct);

    private DaneEndpointResult Evaluate(TlsaRecordSet set, TlsProbeResult probe, DaneProfile profile)
    {
        var result = new DaneEndpointResult(set, probe.EndPoint.Address)
        {
            StartTls = probe.StartTls,
            KeyType = probe.KeyType,
            TlsVersion = probe.TlsVersion,
            CipherSuite = probe.CipherSuite,
            ConnectMs = DaneEndpointResult.Milliseconds(probe.ConnectTime),
            StartTlsMs = DaneEndpointResult.Milliseconds(probe.StartTlsTime),
            HandshakeMs = DaneEndpointResult.Milliseconds(probe.HandshakeTime),
            PresentedChain = ReadableList.Of(CertificateDetails.FromParsedChain(probe.ParsedChain, $"{set.HostName}:{set.Port} ({probe.EndPoint.Address})"), "\n"),
        };
        result.PublicKey = result.PresentedChain.Count > 0 ? result.PresentedChain[0].PublicKey : null;
        if (probe.HandshakeError is not null)
        {
            result.AddFinding(DaneFindingCode.HandshakeIncomplete, FindingSeverity.Warning, $"The handshake did not complete after the certificates arrived: {probe.HandshakeError}.");
        }

        var names = new List<string> { set.TlsaBaseDomain };
        if (!string.Equals(set.HostName, set.TlsaBaseDomain, StringComparison.OrdinalIgnoreCase))
        {
            names.Add(set.HostName);
        }

        if (set.Records.Count > 0 && probe.ParsedChain.Count > 0)
        {
            result.Match = DaneMatcher.Match(new DaneMatchRequest
            {
                PresentedChain = probe.PresentedChain,
                Records = set.Records,
                ReferenceNames = names,
                Profile = profile,
                PkixRoots = _options.PkixRoots,
                UseSystemTrustStore = _options.UseSystemTrustStore,
            }, probe.ParsedChain);
        }

        PlatformTrust(result, probe, names);
        SetDnsVerdict(result, set);
        if (result.Verdict == DaneVerdict.Pass)
        {
            SetMatchVerdict(result);
        }

        // Matching certificates prove nothing until the server shows it holds the key: a DANE client needs the handshake.
        if (probe.HandshakeError is not null && result.Verdict is DaneVerdict.Pass or DaneVerdict.Fail)
        {
            result.Verdict = DaneVerdict.Unreachable;
            result.ConnectionFailure = TlsProbeFailure.HandshakeFailed;
            result.Summary = $"The certificates arrived ({result.Match?.Summary ?? "not matched"}), but the handshake did not complete: {probe.HandshakeError}.";
        }

        AddExpiryFindings(result);
        return result;
    }

    /// <summary>What DNS alone decides: bogus or untrustworthy answers, insecure or absent records.</summary>
    private static void SetDnsVerdict(DaneEndpointResult result, TlsaRecordSet set)
    {
        result.Verdict = DaneVerdict.Pass;
        if (set.Failure == DnsFailure.NoSuchDomain)
        {
            // NXDOMAIN for the host itself: not "no TLSA", there is no host (whatever the MX RRset's status).
            result.Verdict = DaneVerdict.NoSuchHost;
            result.Summary = set.FailureMessage ?? $"{set.HostName} does not exist (NXDOMAIN).";
        }
        else if (DaneApplicability.ForMx(set.MxDnssecStatus, set.MailDomain) is { } mx)
        {
            result.Verdict = mx.Verdict;
            result.Summary = mx.Reason;
        }
        else if (set.Outcome == TlsaLookupOutcome.Failed)
        {
            result.Verdict = DaneVerdict.DnssecFailure;
            result.Summary = $"TLSA lookup failed ({set.Failure}): {set.FailureMessage}";
        }
        else if (set.Addresses.Count == 0 && set.AddressFailure is DnsFailure.Bogus or DnsFailure.Indeterminate or DnsFailure.ServerFailure or DnsFailure.Timeout
            or DnsFailure.MalformedResponse or DnsFailure.MismatchedResponse)
        {
            result.Verdict = DaneVerdict.DnssecFailure;
            result.Summary = $"The address lookup for {set.HostName} failed ({set.AddressFailure}): a DANE client defers delivery (RFC 7672 §2.2.2).";
        }
        else if (set.Outcome == TlsaLookupOutcome.NotPublished)
        {
            result.Verdict = DaneVerdict.NotDane;
            result.Summary = $"No TLSA records at {set.OwnerName} ({set.Denial}, {set.DnssecStatus}): DANE does not apply.";
        }
        else if (DaneApplicability.ForTlsa(set.DnssecStatus, set.OwnerName) is { } tlsa)
        {
            result.Verdict = tlsa.Verdict;
            result.Summary = tlsa.Reason;
        }
    }

    private static void SetMatchVerdict(DaneEndpointResult result)
    {
        var match = result.Match;
        if (match is null)
        {
            result.Verdict = DaneVerdict.Unreachable;
            result.Summary = "The server presented no certificate.";
            return;
        }

        switch (match.Outcome)
        {
            case DaneMatchOutcome.Authenticated:
                result.Verdict = DaneVerdict.Pass;
                result.Summary = match.Summary;
                break;
            case DaneMatchOutcome.NoUsableRecords:
                result.Verdict = DaneVerdict.NotDane;
                result.Summary = "No published TLSA record is usable: DANE does not apply.";
                break;
            default:
                result.Verdict = DaneVerdict.Fail;
                var leaf = result.PresentedChain[0];
                // Hashes shortened, so that a summary never wraps mid-hash; the whole records are in PresentedChain.
                result.Summary = $"No TLSA record matches what the server presents. Its {leaf.PublicKey} key needs {leaf.SuggestedTlsaRecord.ToShortString()}" +
                    (result.PresentedChain.Count > 1 ? $", or its issuer {result.PresentedChain[1].SuggestedTlsaRecord.ToShortString()}" : string.Empty) +
                    " (PresentedChain holds the whole records).";
                break;
        }
    }

    private static void PlatformTrust(DaneEndpointResult result, TlsProbeResult probe, IReadOnlyList<string> names)
    {
        if (probe.PresentedChain.Count == 0)
        {
            return;
        }

        try
        {
            using var chain = new X509Chain();
            PlatformChainPolicy.Offline(chain.ChainPolicy);
            foreach (var c in probe.PresentedChain.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(c);
            }

            var built = chain.Build(probe.PresentedChain[0]);
            var nameOk = ReferenceNameMatcher.Matches(probe.ParsedChain[0], names);
            result.PlatformTrusted = built && nameOk;
            result.PlatformTrustDetail = built
                ? nameOk ? null : $"the certificate does not name {string.Join(" or ", names)}"
                : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            result.PlatformTrustDetail = ex.Message;
        }
    }

    private void AddExpiryFindings(DaneEndpointResult result)
    {
        if (result.PresentedChain.Count == 0)
        {
            return;
        }

        void Check(CertificateDetails c, string what)
        {
            var days = (c.NotAfter - DateTimeOffset.UtcNow).TotalDays;
            if (days < 0)
            {
                result.AddFinding(DaneFindingCode.CertificateExpired, FindingSeverity.Warning,
                    string.Format(CultureInfo.InvariantCulture, "The {0} certificate ({1}) expired on {2:u}{3}.", what, c.Subject, c.NotAfter,
                        result.MatchedTlsaRecord?.Usage == TlsaUsage.DaneEe ? " (DANE-EE ignores expiry, but other clients will not)" : string.Empty));
            }
            else if (days < _options.ExpiryWarningDays)
            {
                result.AddFinding(DaneFindingCode.CertificateExpiring, FindingSeverity.Warning,
                    string.Format(CultureInfo.InvariantCulture, "The {0} certificate ({1}) expires on {2:u}, in {3:0.#} days.", what, c.Subject, c.NotAfter, days));
            }
        }

        Check(result.PresentedChain[0], "leaf");
        if (result.MatchedTlsaRecord?.Usage == TlsaUsage.DaneTa && result.MatchedDepth is int d && d > 0 && d < result.PresentedChain.Count)
        {
            Check(result.PresentedChain[d], "trust-anchor");
        }
    }

    /// <summary>Findings about the RRset as a whole, judged against everything every address presented.</summary>
    private void AddRecordSetFindings(TlsaRecordSet set, List<DaneEndpointResult> results, DaneProfile profile)
    {
        if (set.Records.Count == 0)
        {
            return;
        }

        var findings = new List<DaneFinding>();
        void Add(DaneFindingCode code, FindingSeverity severity, string message) => findings.Add(new DaneFinding(code, severity, message, set.HostName, set.Port, null, null));
        var presented = results.SelectMany(r => r.PresentedChain).Select(c => c.Parsed).ToList();
        bool Usable(TlsaRecord r) => r.IsUsable && !(profile == DaneProfile.Smtp && r.Usage is TlsaUsage.PkixTa or TlsaUsage.PkixEe);
        bool Matched(TlsaRecord r) => results.Any(x => x.Records.Any(e => ReferenceEquals(e.GetRecord(), r) && e.Outcome == TlsaRecordOutcome.Matched));
        bool MatchesSomething(TlsaRecord r) => Matched(r) || presented.Any(c => c.Matches(r));

        if (set.Records.Count > _options.MaxRecords)
        {
            Add(DaneFindingCode.TooManyRecords, FindingSeverity.Warning,
                $"{set.OwnerName} publishes {set.Records.Count} TLSA records; 1 to {_options.MaxRecords} is the norm (current key, plus the next one during a rollover). Remove what no longer matches.");
        }

        if (!set.Records.Any(Usable))
        {
            Add(DaneFindingCode.NoUsableRecords, FindingSeverity.Warning, $"None of the {set.Records.Count} TLSA records at {set.OwnerName} is usable{(profile == DaneProfile.Smtp ? " for SMTP" : string.Empty)}.");
        }

        foreach (var r in set.Records)
        {
            if (profile == DaneProfile.Smtp && r.Usage is TlsaUsage.PkixTa or TlsaUsage.PkixEe)
            {
                Add(DaneFindingCode.PkixUsageOnSmtp, FindingSeverity.Warning, $"{r.ToShortString()}: {TlsaRecord.UsageMnemonic(r.Usage)} is unusable for SMTP (RFC 7672 §3.1.3); publish DANE-EE(3) or DANE-TA(2) records.");
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
    internal static string? NotCompared(TlsaRecordSet set, IReadOnlyList<DaneEndpointResult> results)
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
