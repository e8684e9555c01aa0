using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine.Certificates;
using DanePS.Engine.Dns;
using DanePS.Engine.Matching;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Checking;

/// <summary>
/// The verdict on one endpoint (address, port, key type): what DNS alone decides first (no host, an MX or TLSA
/// answer that cannot be used), then the match of what the handshake showed; with the platform's own trust, and
/// findings about this handshake (incomplete handshake, expired or expiring certificates).
/// </summary>
internal sealed class EndpointVerdict
{
    private readonly EndpointCheckOptions _options;

    public EndpointVerdict(EndpointCheckOptions options) => _options = options;

    /// <summary>The host has no address to connect to.</summary>
    public static DaneEndpointResult ForNoAddress(TlsaRecordSet set, StartTlsProtocol protocol)
    {
        var none = new DaneEndpointResult(set, null) { StartTls = protocol };
        SetDnsVerdict(none, set);
        if (none.Verdict == DaneVerdict.Pass)
        {
            none.Verdict = DaneVerdict.Unreachable;
            none.Summary = $"{set.HostName} has no A or AAAA address" + (set.Warnings.Count > 0 ? $" ({string.Join(" ", set.Warnings)})" : ".");
        }

        return none;
    }

    /// <summary>No certificate could be had from the address: Unreachable, unless DNS alone decides.</summary>
    public static DaneEndpointResult ForProbeFailure(TlsaRecordSet set, IPAddress address, StartTlsProtocol protocol, TlsProbeException ex)
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

        return failed;
    }

    /// <summary>What one handshake showed, matched against the RRset.</summary>
    public DaneEndpointResult ForHandshake(TlsaRecordSet set, TlsProbeResult probe, DaneProfile profile)
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
}
