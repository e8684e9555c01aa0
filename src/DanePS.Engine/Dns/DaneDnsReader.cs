using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Tlsa;
using DnsClient;
using DnsClient.Protocol;

namespace DanePS.Engine.Dns;

/// <summary>
/// Reads DNS the way a careful DANE SMTP client does (RFC 7672 §2): TLSA with DNSSEC status, CNAME-expanded
/// TLSA base domains, MX hosts and their addresses. A failure is reported as such, never as "no records".
/// </summary>
public sealed class DaneDnsReader
{
    private readonly DnsResolverOptions _options;
    private readonly LookupClient _client;
    private readonly DnssecQuerier _querier;
    private readonly object _probeLock = new();
    private Task<bool>? _validationProbe;

    /// <summary>Creates a reader with the given resolvers and limits.</summary>
    public DaneDnsReader(DnsResolverOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var servers = options.Servers.Count > 0
            ? options.Servers.Select(s => new NameServer(s)).ToArray()
            : NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false).ToArray();
        _client = new LookupClient(new LookupClientOptions(servers)
        {
            UseCache = false,
            Recursion = true,
            RequestDnsSecRecords = true,
            ExtendedDnsBufferSize = options.UdpBufferSize,
            UseTcpFallback = options.UseTcpFallback,
            UseTcpOnly = options.UseTcpOnly,
            Timeout = options.Timeout,
            Retries = options.Retries,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseRandomNameServer = false,
        });
        Servers = servers.Select(s => new IPEndPoint(IPAddress.Parse(s.Address), s.Port)).ToList();
        _querier = new DnssecQuerier(_client, options, ResolverValidatesAsync);
    }

    /// <summary>The resolvers in use.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; }

    /// <summary>Checks once whether the resolver validates (AD on a known-signed DNSKEY) and which resolvers are remote.</summary>
    public async Task<ResolverAssessment> AssessResolverAsync(CancellationToken cancellationToken) =>
        new(await ResolverValidatesAsync(cancellationToken).ConfigureAwait(false), Servers);

    /// <summary>The TLSA RRset for a host and port, following a secure CNAME chain for the base domain (RFC 7671 §7).</summary>
    public async Task<TlsaRecordSet> GetTlsaAsync(string hostName, int port, string protocol, bool authoritative, CancellationToken cancellationToken)
    {
        var set = new TlsaRecordSet(hostName, port, protocol);
        var a = await _querier.QueryAsync(set.HostName, QueryType.A, cancellationToken).ConfigureAwait(false);
        var aaaa = await _querier.QueryAsync(set.HostName, QueryType.AAAA, cancellationToken).ConfigureAwait(false);
        set.Addresses = a.Records.OfType<ARecord>().Select(r => new DnsAddress(r.Address, r.TimeToLive, a.Status))
            .Concat(aaaa.Records.OfType<AaaaRecord>().Select(r => new DnsAddress(r.Address, r.TimeToLive, aaaa.Status)))
            .ToList();
        foreach (var failed in new[] { a, aaaa }.Where(x => x.Failure is not null))
        {
            set.Warnings.Add("Addresses: " + failed.FailureMessage);
            set.AddressFailure ??= failed.Failure;
        }

        var alias = new[] { a, aaaa }.FirstOrDefault(x => x.Failure is null && x.CnameChain.Count > 0);
        var candidates = new List<string>();
        if (alias is not null)
        {
            set.CnameChain = alias.CnameChain;
            set.CnameChainSecure = alias.Status == DnssecStatus.Secure;
            if (set.CnameChainSecure == true)
            {
                candidates.Add(alias.FinalName.TrimEnd('.'));
            }
            else
            {
                set.Warnings.Add($"{set.HostName} is an alias through a CNAME chain that is not secure ({alias.Status}); TLSA records are looked up at the original name (RFC 7672 §2.2.3).");
            }
        }

        candidates.Add(set.HostName);
        RRsetAnswer? tlsa = null;
        foreach (var baseDomain in candidates)
        {
            tlsa = await _querier.QueryAsync(DnsTlsaRecord.OwnerNameFor(baseDomain, port, protocol), QueryType.TLSA, cancellationToken).ConfigureAwait(false);
            set.TlsaBaseDomain = baseDomain;
            if (!tlsa.TrustedDenial)
            {
                break; // records, or a failure: either way this is the answer
            }
        }

        Fill(set, tlsa!);
        if (authoritative)
        {
            await CompareAuthoritativeAsync(set, cancellationToken).ConfigureAwait(false);
        }

        return set;
    }

    /// <summary>Every MX host of a mail domain (by preference) with its TLSA RRset at port 25 and its addresses.</summary>
    public async Task<MailDomainLookup> GetMailDomainAsync(string domain, bool authoritative, CancellationToken cancellationToken)
    {
        var name = domain.TrimEnd('.');
        var lookup = new MailDomainLookup(name);
        var mx = await _querier.QueryAsync(name, QueryType.MX, cancellationToken).ConfigureAwait(false);
        lookup.MxDnssecStatus = mx.Status;
        if (mx.Failure is not null)
        {
            lookup.Failure = mx.Failure;
            lookup.FailureMessage = mx.FailureMessage;
            return lookup;
        }

        if (mx.Records.Count == 0 && !mx.TrustedDenial)
        {
            lookup.Failure = DnsFailure.Indeterminate;
            lookup.FailureMessage = $"{name} has no MX records according to a resolver that does not validate: the denial cannot be trusted.";
            return lookup;
        }

        if (mx.NxDomain)
        {
            lookup.Failure = DnsFailure.NoSuchDomain;
            lookup.FailureMessage = $"{name} does not exist (NXDOMAIN, {mx.Status}).";
            return lookup;
        }

        var hosts = mx.Records.OfType<MxRecord>()
            .OrderBy(r => r.Preference).ThenBy(r => DnssecQuerier.WireName(r.Exchange), StringComparer.OrdinalIgnoreCase)
            .Select(r => (Host: DnssecQuerier.WireName(r.Exchange).TrimEnd('.'), Preference: (int)r.Preference))
            .ToList();
        if (hosts.Count == 1 && hosts[0].Host.Length == 0)
        {
            lookup.Failure = DnsFailure.NullMx;
            lookup.FailureMessage = $"{name} publishes a null MX (RFC 7505): it accepts no mail.";
            return lookup;
        }

        if (hosts.Count == 0)
        {
            lookup.ImplicitMx = true;
            hosts.Add((name, 0));
        }

        var sets = await Task.WhenAll(hosts.Select(async h =>
        {
            var set = await GetTlsaAsync(h.Host, 25, "tcp", authoritative, cancellationToken).ConfigureAwait(false);
            set.MxDomain = name;
            set.MxPreference = h.Preference;
            set.MxDnssecStatus = mx.Status;
            set.ImplicitMx = lookup.ImplicitMx;
            if (mx.Status != DnssecStatus.Secure)
            {
                set.Warnings.Add($"The MX RRset of {name} is {mx.Status}: DANE does not apply to this domain (RFC 7672 §2.2.1).");
            }

            return set;
        })).ConfigureAwait(false);
        lookup.Hosts = sets;
        return lookup;
    }

    private void Fill(TlsaRecordSet set, RRsetAnswer tlsa)
    {
        set.OwnerName = tlsa.FinalName;
        set.DnssecStatus = tlsa.Status;
        set.SignatureExpiration = tlsa.SignatureExpiration;
        if (tlsa.Failure is not null)
        {
            set.Outcome = TlsaLookupOutcome.Failed;
            set.Failure = tlsa.Failure;
            set.FailureMessage = tlsa.FailureMessage;
            return;
        }

        if (tlsa.Records.Count == 0)
        {
            set.Denial = tlsa.Denial;
            if (tlsa.TrustedDenial)
            {
                set.Outcome = TlsaLookupOutcome.NotPublished;
            }
            else
            {
                set.Outcome = TlsaLookupOutcome.Failed;
                set.Failure = DnsFailure.Indeterminate;
                set.FailureMessage = $"{tlsa.QueryName}: {tlsa.Denial} from a resolver that does not validate; whether TLSA records exist cannot be told.";
            }

            return;
        }

        set.Outcome = TlsaLookupOutcome.Found;
        set.Records = tlsa.Records.OfType<DnsClient.Protocol.TlsaRecord>()
            .Select(r => new DnsTlsaRecord(
                new Tlsa.TlsaRecord((byte)r.CertificateUsage, (byte)r.Selector, (byte)r.MatchingType, r.CertificateAssociationData.ToArray()),
                set.TlsaBaseDomain, set.Port, set.Protocol)
            {
                Ttl = r.TimeToLive,
                DnssecStatus = tlsa.Status,
                OwnerName = DnssecQuerier.WireName(r.DomainName),
            })
            .ToList();

        if (tlsa.Status == DnssecStatus.Secure && set.SignatureExpiration is { } expires && expires - DateTimeOffset.UtcNow < _options.SignatureExpiryWarning)
        {
            set.Warnings.Add(string.Format(CultureInfo.InvariantCulture,
                "The signatures over {0} TLSA expire on {1:u} (in {2:0.#} days): if the zone is not re-signed by then, the records go bogus and DANE mail delivery stops.",
                set.OwnerName, expires.UtcDateTime, (expires - DateTimeOffset.UtcNow).TotalDays));
        }
    }

    private async Task CompareAuthoritativeAsync(TlsaRecordSet set, CancellationToken ct)
    {
        var answers = await AuthoritativeServers.AskAllAsync(_querier, set.OwnerName, _options, ct).ConfigureAwait(false);
        set.AuthoritativeAnswers = answers.Answers;
        if (answers.Problem is not null)
        {
            set.Warnings.Add(answers.Problem);
        }

        var distinct = answers.Answers.Where(x => x.Error is null).Select(x => string.Join("|", x.Records)).Distinct().Count();
        set.AuthoritativeConsistent = answers.Answers.Count > 0 && answers.Answers.All(x => x.Error is null) && distinct == 1;
        if (set.AuthoritativeConsistent == false && answers.Answers.Count > 0)
        {
            var detail = string.Join("; ", answers.Answers.Select(x => x.Error is null
                ? string.Format(CultureInfo.InvariantCulture, "{0} ({1}, serial {2}): {3} record(s)", x.ServerName, x.Address, x.Serial, x.Records.Count)
                : $"{x.ServerName} ({x.Address}): {x.Error}"));
            set.Warnings.Add($"The authoritative servers disagree about {set.OwnerName} TLSA: {detail}.");
        }
    }

    // Asked once per reader, whoever asks first; bounded by the query timeout and retries, not by one caller's token.
    private Task<bool> ResolverValidatesAsync(CancellationToken ct)
    {
        lock (_probeLock)
        {
            return _validationProbe ??= ProbeValidationAsync();
        }
    }

    private async Task<bool> ProbeValidationAsync()
    {
        try
        {
            var response = await _client.QueryAsync(new DnsQuestion(_options.ValidationProbeName, QueryType.DNSKEY)).ConfigureAwait(false);
            return response.Header.IsAuthenticData;
        }
        catch (Exception ex) when (ex is DnsResponseException or System.Net.Sockets.SocketException or System.IO.IOException)
        {
            // A probe that gets no answer proves nothing: treat the resolver as not validating, so nothing is called insecure on its word.
            return false;
        }
    }
}

/// <summary>The MX view of a mail domain.</summary>
public sealed class MailDomainLookup
{
    internal MailDomainLookup(string domain) => Domain = domain;

    /// <summary>The mail domain.</summary>
    public string Domain { get; }

    /// <summary>DNSSEC status of the MX RRset.</summary>
    public DnssecStatus MxDnssecStatus { get; internal set; }

    /// <summary>No MX: the domain itself is the mail host.</summary>
    public bool ImplicitMx { get; internal set; }

    /// <summary>Each MX host's TLSA RRset, by preference.</summary>
    public IReadOnlyList<TlsaRecordSet> Hosts { get; internal set; } = Array.Empty<TlsaRecordSet>();

    /// <summary>Why there is no MX answer to go on.</summary>
    public DnsFailure? Failure { get; internal set; }

    /// <summary>The failure in words.</summary>
    public string? FailureMessage { get; internal set; }
}
