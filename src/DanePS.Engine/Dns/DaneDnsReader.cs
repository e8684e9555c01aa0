using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Checking;
using DanePS.Engine.Dnssec;
using DanePS.Engine.Reporting;
using DanePS.Engine.Tlsa;
using DnsClient;
using DnsClient.Protocol;

namespace DanePS.Engine.Dns;

/// <summary>
/// Reads DNS the way a careful DANE SMTP client does (RFC 7672 §2): TLSA with DNSSEC status, CNAME-expanded
/// TLSA base domains, MX hosts and their addresses. A failure is reported as such, never as "no records".
/// </summary>
public sealed class DaneDnsReader : IDisposable
{
    private readonly DnsResolverOptions _options;
    private readonly LookupClient _client;
    private readonly DnssecQuerier _querier;
    private readonly ResolverProbe _resolver;
    private readonly IReporter _reporter;
    private readonly DnsWireClient _wire;
    private readonly TrustAnchors _anchors;
    private readonly Lazy<DnssecValidator> _validator;
    private readonly object _modeLock = new();
    private Task<DnssecValidationMode>? _mode;

    /// <summary>Creates a reader with the given resolvers and limits; each answer is told to <paramref name="reporter"/> as it arrives.</summary>
    /// <exception cref="FormatException">A trust anchor in <see cref="DnsResolverOptions.TrustAnchors"/> is not a DS or DNSKEY record (checked unless validation is Resolver).</exception>
    public DaneDnsReader(DnsResolverOptions options, IReporter? reporter = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _reporter = reporter ?? NullReporter.Instance;
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
        _resolver = new ResolverProbe(_client, options, Servers);
        _anchors = options.Validation == DnssecValidationMode.Resolver ? TrustAnchors.Default : TrustAnchors.Parse(options.TrustAnchors);
        _wire = new DnsWireClient(Servers, options.Timeout, options.Retries, options.UseTcpOnly);
        _validator = new Lazy<DnssecValidator>(() => new DnssecValidator(_wire, _anchors), LazyThreadSafetyMode.ExecutionAndPublication);
        _querier = new DnssecQuerier(_client, options, _resolver, GetValidationAsync, () => _validator.Value);
    }

    /// <summary>Questions sent by local validation so far (each UDP or TCP attempt once): for tests of the key cache.</summary>
    internal int LocalQueryCount => _wire.QueryCount;

    /// <summary>Whether local validation retried a truncated answer over TCP.</summary>
    internal bool LocalUsedTcp => _wire.UsedTcp;

    /// <summary>The resolvers in use.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; }

    /// <summary>How long one query attempt waits.</summary>
    public TimeSpan QueryTimeout => _options.Timeout;

    /// <summary>How many times a query is sent again after a timeout.</summary>
    public int QueryRetries => _options.Retries;

    /// <summary>
    /// Whether the resolver answers at all, whether it validates (AD on a known-signed DNSKEY), and which resolvers
    /// are remote. Asked once per reader, whoever asks first, and bounded by the query timeout and retries; the
    /// lookups do not wait for it to start, and AD bits are believed only once it says the resolver validates.
    /// </summary>
    public Task<ResolverAssessment> AssessResolverAsync(CancellationToken cancellationToken) => _resolver.GetAsync(cancellationToken);

    /// <summary>
    /// Who validates DNSSEC in this reader's answers: <see cref="DnssecValidationMode.Resolver"/> or
    /// <see cref="DnssecValidationMode.Local"/> (Auto resolved once per reader, from the resolver assessment).
    /// </summary>
    public Task<DnssecValidationMode> GetValidationAsync(CancellationToken cancellationToken)
    {
        switch (_options.Validation)
        {
            case DnssecValidationMode.Local:
            case DnssecValidationMode.Resolver:
                return Task.FromResult(_options.Validation);
        }

        Task<DnssecValidationMode> mode;
        lock (_modeLock)
        {
            mode = _mode ??= DecideAsync();
        }

        return ResolverProbe.WithCancellation(mode, cancellationToken);
    }

    /// <summary>
    /// Auto: the resolver's AD bit when every resolver is on loopback and validates; DanePS's own validation otherwise.
    /// One exception: a server that offers no recursion (an authoritative server given as -Server) can carry no
    /// chain of trust, so Auto keeps to the resolver's word there, where nothing is Secure and the resolver warning
    /// says why (an explicit Local fails each lookup with that reason instead).
    /// </summary>
    private async Task<DnssecValidationMode> DecideAsync()
    {
        var assessment = await _resolver.GetAsync(CancellationToken.None).ConfigureAwait(false);
        if (assessment.Validates && assessment.RemoteServers.Count == 0)
        {
            return DnssecValidationMode.Resolver;
        }

        var recursion = assessment.Answered ? await _validator.Value.OffersRecursionAsync(CancellationToken.None).ConfigureAwait(false) : null;
        return recursion == false ? DnssecValidationMode.Resolver : DnssecValidationMode.Local;
    }

    /// <summary>
    /// The A and AAAA addresses of a host, asked at once through the resolvers of this reader (never the
    /// system's, unless no resolver was given).
    /// </summary>
    public async Task<HostAddresses> GetAddressesAsync(string hostName, CancellationToken cancellationToken)
    {
        var name = (hostName ?? throw new ArgumentNullException(nameof(hostName))).TrimEnd('.');
        var aTask = AskAsync(name, QueryType.A, cancellationToken);
        var aaaaTask = AskAsync(name, QueryType.AAAA, cancellationToken);
        var a = await aTask.ConfigureAwait(false);
        var aaaa = await aaaaTask.ConfigureAwait(false);
        var result = new HostAddresses(name) { Addresses = AddressesOf(a, aaaa) };
        if (result.Addresses.Count == 0)
        {
            var failed = new[] { a, aaaa }.FirstOrDefault(x => x.Failure is not null);
            result.Failure = failed?.Failure ?? (a.NxDomain ? DnsFailure.NoSuchDomain : null);
            result.FailureMessage = failed?.FailureMessage ?? (a.NxDomain ? $"{name} does not exist (NXDOMAIN)." : $"{name} has no A or AAAA record.");
        }

        return result;
    }

    /// <summary>
    /// The TLSA RRset for a host and port, following a secure CNAME chain for the base domain (RFC 7671 §7).
    /// A, AAAA and the TLSA RRset at the host name are asked at once; a secure CNAME chain adds one question.
    /// </summary>
    public async Task<TlsaRecordSet> GetTlsaAsync(string hostName, int port, string protocol, bool authoritative, CancellationToken cancellationToken)
    {
        var set = new TlsaRecordSet(hostName, port, protocol);
        var aTask = AskAsync(set.HostName, QueryType.A, cancellationToken);
        var aaaaTask = AskAsync(set.HostName, QueryType.AAAA, cancellationToken);
        var ownTlsaTask = AskAsync(DnsTlsaRecord.OwnerNameFor(set.HostName, port, protocol), QueryType.TLSA, cancellationToken);
        await Task.WhenAll(aTask, aaaaTask, ownTlsaTask).ConfigureAwait(false);
        var a = await aTask.ConfigureAwait(false);
        var aaaa = await aaaaTask.ConfigureAwait(false);
        set.Addresses = ReadableList.Of(AddressesOf(a, aaaa));
        foreach (var failed in new[] { a, aaaa }.Where(x => x.Failure is not null))
        {
            set.WarningList.Add("Addresses: " + failed.FailureMessage);
            set.AddressFailure ??= failed.Failure;
        }

        var alias = new[] { a, aaaa }.FirstOrDefault(x => x.Failure is null && x.CnameChain.Count > 0);
        var tlsa = await ownTlsaTask.ConfigureAwait(false);
        if (alias is not null)
        {
            set.CnameChain = ReadableList.Of(alias.CnameChain);
            set.CnameChainSecure = alias.Status == DnssecStatus.Secure;
            if (set.CnameChainSecure == true)
            {
                // The expanded name comes first; the original name counts only when the expanded one has none.
                var canonical = alias.FinalName.TrimEnd('.');
                var expanded = await AskAsync(DnsTlsaRecord.OwnerNameFor(canonical, port, protocol), QueryType.TLSA, cancellationToken).ConfigureAwait(false);
                if (!expanded.TrustedDenial)
                {
                    tlsa = expanded;
                    set.TlsaBaseDomain = canonical;
                }
            }
            else
            {
                set.WarningList.Add($"{set.HostName} is an alias through a CNAME chain that is not secure ({alias.Status}); TLSA records are looked up at the original name (RFC 7672 §2.2.3).");
            }
        }

        Fill(set, tlsa);
        MarkNoSuchHost(set, a, aaaa);
        if (authoritative)
        {
            await CompareAuthoritativeAsync(set, cancellationToken).ConfigureAwait(false);
        }

        set.DnssecValidation = await GetValidationAsync(cancellationToken).ConfigureAwait(false);
        return set;
    }

    /// <summary>Every MX host of a mail domain (by preference) with its TLSA RRset at port 25 and its addresses.</summary>
    public async Task<MailDomainLookup> GetMailDomainAsync(string domain, bool authoritative, CancellationToken cancellationToken)
    {
        var lookup = await ReadMxAsync(domain, cancellationToken).ConfigureAwait(false);
        if (lookup.Failure is null)
        {
            // The MX hosts are read at once.
            lookup.Hosts = await Task.WhenAll(lookup.MxHosts.Select(h => GetMxHostAsync(lookup, h, authoritative, cancellationToken))).ConfigureAwait(false);
        }

        return lookup;
    }

    /// <summary>The MX RRset of a mail domain: its hosts by preference (or the domain itself), or why there are none.</summary>
    internal async Task<MailDomainLookup> ReadMxAsync(string domain, CancellationToken cancellationToken)
    {
        var name = domain.TrimEnd('.');
        var lookup = new MailDomainLookup(name);
        var mx = await AskAsync(name, QueryType.MX, cancellationToken).ConfigureAwait(false);
        lookup.DnssecValidation = await GetValidationAsync(cancellationToken).ConfigureAwait(false);
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

        lookup.MxHosts = hosts;
        return lookup;
    }

    /// <summary>
    /// A mail domain's TLS-RPT record (<c>_smtp._tls.&lt;domain&gt;</c> TXT, RFC 8460 §3). A failed lookup is a
    /// <see cref="TlsRpt.TlsRptRecordStatus.LookupFailed"/> result, never an exception (other than cancellation).
    /// </summary>
    public async Task<TlsRpt.TlsRptRecord> GetTlsRptAsync(string domain, CancellationToken cancellationToken)
    {
        var answer = await AskAsync(TlsRpt.TlsRptRecord.OwnerNameFor(domain ?? throw new ArgumentNullException(nameof(domain))), QueryType.TXT, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is not null)
        {
            return TlsRpt.TlsRptRecord.Failed($"{answer.Failure}: {answer.FailureMessage}");
        }

        // A TXT record's strings are one text, joined without separator (RFC 8460 §3, as RFC 7208 §3.3).
        return TlsRpt.TlsRptRecord.FromTxt(answer.Records.OfType<TxtRecord>().Select(r => string.Concat(r.Text)));
    }

    /// <summary>One MX host's TLSA RRset at port 25, with the MX context of its domain.</summary>
    internal async Task<TlsaRecordSet> GetMxHostAsync(MailDomainLookup lookup, (string Host, int Preference) host, bool authoritative, CancellationToken cancellationToken)
    {
        var set = await GetTlsaAsync(host.Host, 25, "tcp", authoritative, cancellationToken).ConfigureAwait(false);
        set.MailDomain = lookup.Domain;
        set.MxPreference = host.Preference;
        set.MxDnssecStatus = lookup.MxDnssecStatus;
        set.ImplicitMx = lookup.ImplicitMx;
        if (DaneApplicability.ForMx(lookup.MxDnssecStatus, lookup.Domain) is { } mx)
        {
            set.WarningList.Add(mx.Reason);
        }

        return set;
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
        if (tlsa.ValidatedLocally && tlsa.Status == DnssecStatus.Insecure && tlsa.ValidationReason is { } why)
        {
            set.WarningList.Add($"{tlsa.QueryName} TLSA is Insecure (validated by DanePS): {why}.");
        }

        set.Records = tlsa.Records.OfType<DnsClient.Protocol.TlsaRecord>()
            .Select(r => new DnsTlsaRecord(
                new Tlsa.TlsaRecord((byte)r.CertificateUsage, (byte)r.Selector, (byte)r.MatchingType, r.CertificateAssociationData.ToArray()),
                set.TlsaBaseDomain, set.Port, set.Protocol)
            {
                Ttl = r.TimeToLive,
                DnssecStatus = tlsa.Status,
                OwnerName = DnssecQuerier.WireName(r.DomainName),
            })
            .ToList().AsReadable();

        if (tlsa.Status == DnssecStatus.Secure && set.SignatureExpiration is { } expires && expires - DateTimeOffset.UtcNow < _options.SignatureExpiryWarning)
        {
            set.WarningList.Add(string.Format(CultureInfo.InvariantCulture,
                "The signatures over {0} TLSA expire on {1:u} (in {2:0.#} days): if the zone is not re-signed by then, the records go bogus and DANE mail delivery stops.",
                set.OwnerName, expires.UtcDateTime, (expires - DateTimeOffset.UtcNow).TotalDays));
        }
    }

    // NXDOMAIN for the host's own addresses: the host does not exist, which is not "no TLSA records".
    private static void MarkNoSuchHost(TlsaRecordSet set, RRsetAnswer a, RRsetAnswer aaaa)
    {
        var nx = a.Failure is null && a.NxDomain ? a : aaaa.Failure is null && aaaa.NxDomain ? aaaa : null;
        if (nx is null || set.Addresses.Count > 0)
        {
            return;
        }

        set.Outcome = TlsaLookupOutcome.Failed;
        set.Failure = DnsFailure.NoSuchDomain;
        set.Records = ReadableList.Empty<DnsTlsaRecord>();
        var what = nx.CnameChain.Count > 0 ? $"{set.HostName} is an alias of {nx.FinalName.TrimEnd('.')}, which" : set.HostName;
        set.FailureMessage = $"{what} does not exist (NXDOMAIN, {nx.Status}): there is no server to check.";
    }

    private async Task CompareAuthoritativeAsync(TlsaRecordSet set, CancellationToken ct)
    {
        var answers = await AuthoritativeServers.AskAllAsync(_querier, set.OwnerName, _options, ct).ConfigureAwait(false);
        set.AuthoritativeAnswers = ReadableList.Of(answers.Answers, "\n");
        if (answers.Problem is not null)
        {
            set.WarningList.Add(answers.Problem);
        }

        var distinct = answers.Answers.Where(x => x.Error is null).Select(x => string.Join("|", x.Records)).Distinct().Count();
        set.AuthoritativeConsistent = answers.Answers.Count > 0 && answers.Answers.All(x => x.Error is null) && distinct == 1;
        if (set.AuthoritativeConsistent == false && answers.Answers.Count > 0)
        {
            var detail = string.Join("; ", answers.Answers.Select(x => x.Error is null
                ? string.Format(CultureInfo.InvariantCulture, "{0} ({1}, serial {2}): {3} record(s)", x.ServerName, x.Address, x.Serial, x.Records.Count)
                : $"{x.ServerName} ({x.Address}): {x.Error}"));
            set.WarningList.Add($"The authoritative servers disagree about {set.OwnerName} TLSA: {detail}.");
        }
    }

    /// <summary>One question through the single gateway (Resolver or Local validation as set), for tests.</summary>
    internal Task<RRsetAnswer> QueryAsync(string name, QueryType type, CancellationToken ct) => AskAsync(name, type, ct);

    /// <summary>One question through the querier; its answer, with its DNSSEC status, is told to the reporter.</summary>
    private async Task<RRsetAnswer> AskAsync(string name, QueryType type, CancellationToken ct)
    {
        var answer = await _querier.QueryAsync(name, type, ct).ConfigureAwait(false);
        _reporter.Verbose($"DNS: {answer.QueryName} {type}: {Describe(answer)} ({answer.Status})");
        return answer;
    }

    private static string Describe(RRsetAnswer answer)
    {
        if (answer.Failure is { } failure)
        {
            return $"{failure}: {answer.FailureMessage}";
        }

        var alias = answer.CnameChain.Count > 0 ? $"alias of {answer.FinalName}, " : string.Empty;
        var why = answer.ValidationReason is { } reason ? $" [{reason}]" : string.Empty;
        if (answer.Records.Count == 0)
        {
            return alias + answer.Denial + why;
        }

        const int Shown = 5;
        var shown = answer.Records.Take(Shown).Select(r => r switch
        {
            ARecord a => a.Address.ToString(),
            AaaaRecord aaaa => aaaa.Address.ToString(),
            MxRecord mx => string.Format(CultureInfo.InvariantCulture, "{0} {1}", mx.Preference, DnssecQuerier.WireName(mx.Exchange)),
            DnsClient.Protocol.TlsaRecord t => new Tlsa.TlsaRecord((byte)t.CertificateUsage, (byte)t.Selector, (byte)t.MatchingType, t.CertificateAssociationData.ToArray()).ToShortString(),
            _ => r.ToString(),
        });
        var more = answer.Records.Count > Shown ? string.Format(CultureInfo.InvariantCulture, " and {0} more", answer.Records.Count - Shown) : string.Empty;
        return alias + string.Join(", ", shown) + more + why;
    }

    /// <summary>Ends the resolver assessment if it still runs.</summary>
    public void Dispose() => _resolver.Dispose();

    private static List<DnsAddress> AddressesOf(RRsetAnswer a, RRsetAnswer aaaa) =>
        a.Records.OfType<ARecord>().Select(r => new DnsAddress(r.Address, r.TimeToLive, a.Status))
            .Concat(aaaa.Records.OfType<AaaaRecord>().Select(r => new DnsAddress(r.Address, r.TimeToLive, aaaa.Status)))
            .ToList();
}
