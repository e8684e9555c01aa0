using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Reporting;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Rollover;

/// <summary>What one address presents for one key type (or why it could not be read).</summary>
internal sealed class ServedChain
{
    public ServedChain(RolloverTarget target, IPAddress address, TlsKeyType keyType, IReadOnlyList<X509Certificate2> chain, string? error)
    {
        Target = target;
        Address = address;
        KeyType = keyType;
        Chain = chain;
        Error = error;
    }

    public RolloverTarget Target { get; }

    public IPAddress Address { get; }

    public TlsKeyType KeyType { get; }

    public IReadOnlyList<X509Certificate2> Chain { get; }

    public string? Error { get; }

    public string Where => $"{Target.HostName}:{Target.Port} [{Address}]";

    /// <summary>Whether <paramref name="record"/> matches this chain as a DANE client would compare it.</summary>
    public bool Matches(TlsaRecord record)
    {
        if (Chain.Count == 0)
        {
            return false;
        }

        // DANE-EE and PKIX-EE name the leaf; DANE-TA and PKIX-TA any certificate of the chain.
        var candidates = record.Usage is TlsaUsage.DaneEe or TlsaUsage.PkixEe ? Chain.Take(1) : Chain;
        foreach (var certificate in candidates)
        {
            try
            {
                if (TlsaRecordFactory.FromCertificate(certificate, record.Usage, record.Selector, record.MatchingType).Equals(record))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or System.Security.Cryptography.CryptographicException)
            {
                // An unassigned selector or matching type matches nothing.
            }
        }

        return false;
    }

    /// <summary>Where, and the leaf's key as a 3 1 1 record with its subject, or why nothing was read.</summary>
    public string Describe() =>
        Error is not null ? $"{Where}: {Error}"
        : $"{Where} {KeyType}: presents {TlsaRecordFactory.FromCertificate(Chain[0], TlsaUsage.DaneEe, TlsaSelector.Spki, TlsaMatchingType.Sha256).ToShortString()} ({Chain[0].Subject})";
}

/// <summary>Reads what every address of every target presents right now, for every key type it holds.</summary>
internal static class ServedKeys
{
    /// <summary>Probes every address of every target for every key type; each chain read (or why none) is narrated to <paramref name="reporter"/>.</summary>
    public static async Task<IReadOnlyList<ServedChain>> ReadAsync(DaneDnsReader dns, IEnumerable<RolloverTarget> targets, TlsProbeOptions probe, IReporter reporter, CancellationToken ct)
    {
        var all = await Task.WhenAll(targets.Select(t => ReadTargetAsync(dns, t, probe, reporter, ct))).ConfigureAwait(false);
        return all.SelectMany(a => a).ToList();
    }

    private static async Task<IReadOnlyList<ServedChain>> ReadTargetAsync(DaneDnsReader dns, RolloverTarget target, TlsProbeOptions probe, IReporter reporter, CancellationToken ct)
    {
        var addresses = await dns.GetAddressesAsync(target.HostName, ct).ConfigureAwait(false);
        if (addresses.Addresses.Count == 0)
        {
            throw new RolloverException(RolloverFailure.ObservationFailed, $"{target.HostName} has no address ({addresses.FailureMessage ?? "no A or AAAA records"}), so what it serves cannot be read.");
        }

        var protocol = TlsProbeOptions.ForPort(target.Port);
        var probes = addresses.Addresses.SelectMany(a => new[] { TlsKeyType.Any, TlsKeyType.Rsa, TlsKeyType.Ecdsa }
            .Select(async keyType =>
            {
                try
                {
                    var result = await TlsProbe.ProbeAsync(target.HostName, IPAddress.Parse(a.Address), target.Port, protocol, probe.WithKeyType(keyType), ct).ConfigureAwait(false);
                    return new ServedChain(target, IPAddress.Parse(a.Address), keyType, result.PresentedChain, result.PresentedChain.Count == 0 ? "presented no certificate" : null);
                }
                catch (TlsProbeException ex)
                {
                    return new ServedChain(target, IPAddress.Parse(a.Address), keyType, Array.Empty<X509Certificate2>(), ex.Message);
                }
            }));
        var results = await Task.WhenAll(probes).ConfigureAwait(false);
        foreach (var served in results)
        {
            reporter.Verbose("TLS: " + (served.Error is null ? served.Describe() : $"{served.Where} {served.KeyType}: {served.Error}"));
        }

        // Per address: every distinct chain read; an address none of whose probes worked is an error entry. A key
        // type the server does not hold fails its probe, which is not an error when another probe read a chain.
        var list = new List<ServedChain>();
        foreach (var perAddress in results.GroupBy(r => r.Address))
        {
            var read = perAddress.Where(r => r.Error is null).GroupBy(r => Convert.ToBase64String(r.Chain[0].RawData)).Select(g => g.First()).ToList();
            list.AddRange(read.Count > 0 ? read : new List<ServedChain> { perAddress.First(r => r.KeyType == TlsKeyType.Any) });
        }

        return list;
    }
}
