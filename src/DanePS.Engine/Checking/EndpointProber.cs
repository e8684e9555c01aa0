using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Matching;
using DanePS.Engine.Reporting;
using DanePS.Engine.Tls;

namespace DanePS.Engine.Checking;

/// <summary>
/// Talks to every address of a host at once, and to each address a second time asking for the other key type, so
/// that every certificate a server holds is seen; each handshake (or failure to have one) becomes one result.
/// </summary>
internal sealed class EndpointProber
{
    private readonly EndpointCheckOptions _options;
    private readonly IReporter _reporter;
    private readonly EndpointVerdict _verdict;

    public EndpointProber(EndpointCheckOptions options, IReporter reporter)
    {
        _options = options;
        _reporter = reporter;
        _verdict = new EndpointVerdict(options);
    }

    /// <summary>One result per address and key type; one result on its own when the host has no address.</summary>
    public async Task<List<DaneEndpointResult>> ProbeEveryAddressAsync(TlsaRecordSet set, DaneProfile profile, CancellationToken ct)
    {
        var protocol = _options.StartTlsFor(set.Port);
        if (set.Addresses.Count == 0)
        {
            return new List<DaneEndpointResult> { EndpointVerdict.ForNoAddress(set, protocol) };
        }

        var perAddress = await Task.WhenAll(set.Addresses.Select(a => ProbeAddressAsync(set, a.IPAddress, protocol, profile, ct))).ConfigureAwait(false);
        return perAddress.SelectMany(r => r).ToList();
    }

    private async Task<List<DaneEndpointResult>> ProbeAddressAsync(TlsaRecordSet set, IPAddress address, StartTlsProtocol protocol, DaneProfile profile, CancellationToken ct)
    {
        var results = new List<DaneEndpointResult>();
        TlsProbeResult first;
        try
        {
            first = await ProbeAsync(set, address, protocol, TlsKeyType.Any, ct).ConfigureAwait(false);
        }
        catch (TlsProbeException ex)
        {
            results.Add(EndpointVerdict.ForProbeFailure(set, address, protocol, ex));
            return results;
        }

        results.Add(_verdict.ForHandshake(set, first, profile));
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
                results.Add(_verdict.ForHandshake(set, second, profile));
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
}
