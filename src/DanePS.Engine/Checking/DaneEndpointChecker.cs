using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Checking;

/// <summary>
/// Checks live servers as a DANE client would: the TLSA RRset from DNS, a TLS session with every address of
/// the host (and, where the server holds both, with its RSA and its ECDSA certificate), and the verdict.
/// </summary>
/// <remarks>
/// The entry points only; each job has its own class: <see cref="EndpointProber"/> talks to every address and key
/// type, <see cref="EndpointVerdict"/> judges one handshake (or why there was none), <see cref="RecordSetFindings"/>
/// judges the RRset against all of them, and <see cref="MailDomainVerdict"/> judges a mail domain by its endpoints.
/// </remarks>
public sealed class DaneEndpointChecker
{
    private readonly DaneDnsReader _dns;
    private readonly EndpointCheckOptions _options;
    private readonly IReporter _reporter;
    private readonly EndpointProber _prober;

    /// <summary>
    /// Creates a checker that reads DNS through <paramref name="dns"/> and tells <paramref name="reporter"/> each stage
    /// of each probe (connect, STARTTLS, handshake) and each verdict.
    /// </summary>
    public DaneEndpointChecker(DaneDnsReader dns, EndpointCheckOptions options, IReporter? reporter = null)
    {
        _dns = dns ?? throw new ArgumentNullException(nameof(dns));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _reporter = reporter ?? NullReporter.Instance;
        _prober = new EndpointProber(_options, _reporter);
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
        var profile = _options.ProfileFor(set.Port);
        var results = await _prober.ProbeEveryAddressAsync(set, profile, cancellationToken).ConfigureAwait(false);
        RecordSetFindings.AddTo(set, results, profile, _options.MaxRecords);
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

        // The TLS-RPT record is asked beside the MX RRset, and awaited only once the endpoints are checked.
        var tlsRpt = _dns.GetTlsRptAsync(domain, cancellationToken);
        var lookup = await _dns.ReadMxAsync(domain, cancellationToken).ConfigureAwait(false);
        if (lookup.Failure == DnsFailure.NoSuchDomain)
        {
            await tlsRpt.ConfigureAwait(false);
            throw new DnsLookupException(lookup.FailureMessage!);
        }

        if (lookup.Failure is not null)
        {
            var failed = MailDomainVerdict.ForLookupFailure(lookup);
            MailDomainVerdict.AddTlsRpt(failed, await tlsRpt.ConfigureAwait(false));
            failed.ElapsedMs = DaneEndpointResult.Milliseconds(clock.Elapsed);
            return failed;
        }

        // Every MX host at once, each checked as soon as its own lookup is done.
        var endpoints = await Task.WhenAll(lookup.MxHosts.Select(async h =>
            await CheckAsync(await _dns.GetMxHostAsync(lookup, h, false, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var result = MailDomainVerdict.ForEndpoints(lookup, endpoints.SelectMany(e => e));
        MailDomainVerdict.AddTlsRpt(result, await tlsRpt.ConfigureAwait(false));
        result.ElapsedMs = DaneEndpointResult.Milliseconds(clock.Elapsed);
        _reporter.Verbose($"{result.MailDomain}: verdict: {result.Verdict}: {result.Summary}");
        return result;
    }
}
