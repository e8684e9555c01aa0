using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Dnssec;

/// <summary>What DanePS knows about one zone (or name) on the chain of trust.</summary>
internal enum TrustKind
{
    /// <summary>A zone whose DNSKEY RRset is validated from the anchors.</summary>
    Secure,

    /// <summary>Provably insecure (an unsigned delegation, unsupported algorithms, opt-out, too many NSEC3 iterations).</summary>
    Insecure,

    /// <summary>The chain of trust is broken.</summary>
    Bogus,

    /// <summary>(A name asked as a possible zone) not a zone cut; <see cref="ZoneTrust.Keys"/> are the enclosing zone's.</summary>
    NotAZone,

    /// <summary>(A name asked as a possible zone) the name does not exist.</summary>
    NoSuchName,

    /// <summary>No usable answer from the resolver (timeout, refused, garbage…).</summary>
    Failed,
}

/// <summary>The trust of a zone: its validated keys, or why there are none.</summary>
internal sealed class ZoneTrust
{
    public ZoneTrust(DomainName zone, TrustKind kind, string? reason = null, IReadOnlyList<DnskeyInfo>? keys = null, DnsFailure? failure = null)
    {
        Zone = zone;
        Kind = kind;
        Reason = reason;
        Keys = keys ?? Array.Empty<DnskeyInfo>();
        Failure = failure;
    }

    /// <summary>The zone these keys belong to (for NotAZone: the enclosing zone).</summary>
    public DomainName Zone { get; }

    public TrustKind Kind { get; }

    public string? Reason { get; }

    public IReadOnlyList<DnskeyInfo> Keys { get; }

    public DnsFailure? Failure { get; }

    public DateTimeOffset ValidUntil { get; set; } = DateTimeOffset.MaxValue;
}

/// <summary>One validated answer: the data (or the proven denial), the CNAME/DNAME chain, and its status and reason.</summary>
internal sealed class ValidatedAnswer
{
    public ValidatedAnswer(DomainName queryName)
    {
        QueryName = queryName;
        FinalName = queryName;
    }

    public DomainName QueryName { get; }

    public DomainName FinalName { get; set; }

    public List<WireRecord> Records { get; } = new();

    public List<DomainName> CnameChain { get; } = new();

    public bool NxDomain { get; set; }

    public DnssecStatus Status { get; set; } = DnssecStatus.Secure;

    /// <summary>Why the answer is Bogus or Insecure (the first reason met on the chain).</summary>
    public string? Reason { get; set; }

    public DnsFailure? Failure { get; set; }

    public string? FailureMessage { get; set; }

    public DateTimeOffset? SignatureExpiration { get; set; }

    /// <summary>Folds the status of one link (RRset or denial) into the answer's: Bogus over Insecure over Secure.</summary>
    public void Merge(DnssecStatus status, string? reason)
    {
        if (status != DnssecStatus.Secure && string.IsNullOrEmpty(reason))
        {
            reason = status == DnssecStatus.Bogus ? "validation failed (no more specific reason)" : "not signed";
        }

        if (Rank(status) > Rank(Status))
        {
            Status = status;
            Reason = reason;
        }
        else if (Rank(status) == Rank(Status) && status != DnssecStatus.Secure)
        {
            Reason ??= reason;
        }
    }

    private static int Rank(DnssecStatus s) => s switch { DnssecStatus.Secure => 0, DnssecStatus.Insecure => 1, _ => 2 };
}

/// <summary>
/// DanePS's own DNSSEC validator (RFC 4033-4035, 5155, 6840, 8624): every question goes to the resolver with CD and
/// DO set, and the chain of trust is built here, from the trust anchors through DS and DNSKEY at each zone cut, for
/// the data, each link of a CNAME/DNAME chain, and each denial. Zone keys, DS answers and zone cuts are cached per
/// reader (<see cref="ValidatorCache{T}"/>).
/// </summary>
internal sealed class DnssecValidator
{
    private readonly DnsWireClient _client;
    private readonly TrustAnchors _anchors;
    private readonly Func<DateTimeOffset> _clock;
    private readonly ValidatorCache<ZoneTrust> _zones;
    private readonly ValidatorCache<WireExchange> _infrastructure;

    public DnssecValidator(DnsWireClient client, TrustAnchors anchors, Func<DateTimeOffset>? clock = null)
    {
        _client = client;
        _anchors = anchors;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _zones = new ValidatorCache<ZoneTrust>(z => z.ValidUntil, _clock);

        // A DS or DNSKEY answer is kept only while the zone it serves is: its result lives in _zones.
        _infrastructure = new ValidatorCache<WireExchange>(e => e.Message is null ? DateTimeOffset.MinValue : _clock() + TimeSpan.FromSeconds(Math.Min(300, e.Message.Answers.Concat(e.Message.Authority).Select(r => (double)r.Ttl).DefaultIfEmpty(0).Min())), _clock);
    }

    /// <summary>The client the questions go through (for the query count in tests).</summary>
    public DnsWireClient Client => _client;

    /// <summary>
    /// Whether the resolver recurses (RA on its answer to the root DNSKEY, the first question local validation asks
    /// anyway, and cached with it); null when it did not answer usably.
    /// </summary>
    public async Task<bool?> OffersRecursionAsync(CancellationToken ct)
    {
        var exchange = await AskCachedAsync(DomainName.Root, DnsWire.TypeDnskey, ct).ConfigureAwait(false);
        return exchange.Message?.RecursionAvailable;
    }

    /// <summary>The trust of the root, validated from the anchors: asked once per reader (and again when it expires).</summary>
    public Task<ZoneTrust> GetRootAsync(CancellationToken ct) => GetZoneAsync(DomainName.Root, ct);

    /// <summary>Asks <paramref name="name"/> <paramref name="type"/> and validates the answer.</summary>
    public async Task<ValidatedAnswer> QueryAsync(DomainName name, ushort type, CancellationToken ct)
    {
        var answer = new ValidatedAnswer(name);
        var exchange = await _client.AskAsync(name, type, ct).ConfigureAwait(false);
        if (exchange.Message is not { } message)
        {
            return Failed(answer, exchange.Failure ?? DnsFailure.Transport, Sentence(exchange.Error));
        }

        string What() => $"{name} {DnsWireClient.TypeName(type)}"; // for messages only: built when one is
        if (!message.RecursionAvailable)
        {
            // An authoritative server asked as a resolver: it answers its own zones and nothing above them, so no
            // chain of trust can be built through it (and it validates nothing either).
            return Failed(answer, DnsFailure.Indeterminate, $"{_client.Servers} does not offer recursion (no RA bit in its answer to {What()}): it is not a recursive resolver, and DanePS cannot build a chain of trust through it. Use -Server with a recursive resolver.");
        }

        switch (message.Rcode)
        {
            case 0 or 3:
                break;
            case 2 when !message.CheckingDisabled:
                // RFC 4035 §3.2.2: a resolver copies CD into its answer. One that drops it validates anyway and
                // hides what it rejects, so DanePS cannot tell a bogus zone from a broken one through it.
                return Failed(answer, DnsFailure.ResolverRemovesDnssec, $"The resolver removes DNSSEC records ({_client.Servers} answers SERVFAIL for {What()} and ignores the CD bit, so it hides what it does not validate): use -Server with another resolver.");
            case 2:
                return Failed(answer, DnsFailure.ServerFailure, $"The resolver answers SERVFAIL for {What()}, with checking disabled: the zone's servers are failing or unreachable.");
            case 5:
                return Failed(answer, DnsFailure.Refused, $"{_client.Servers} refused the query for {What()}.");
            default:
                return Failed(answer, DnsFailure.Transport, $"{_client.Servers} answered response code {message.Rcode} for {What()}.");
        }

        answer.NxDomain = message.Rcode == 3;

        // The chain from the query name: CNAMEs and DNAMEs, each link validated on its own.
        var current = name;
        var chainNames = new List<DomainName> { name };
        List<WireRecord> data = new();
        var dnames = new List<DomainName>();
        for (var hop = 0; hop < 16; hop++)
        {
            data = RRset(message.Answers, current, type);
            if (data.Count > 0)
            {
                break;
            }

            // A DNAME above the name comes first: the CNAME beside it is synthesised from it, and unsigned.
            var dname = message.Answers.Where(r => r.Type == DnsWire.TypeDname && current.IsBelow(r.Owner)).OrderByDescending(r => r.Owner.LabelCount).FirstOrDefault();
            var cname = dname is null ? RRset(message.Answers, current, DnsWire.TypeCname) : new List<WireRecord>();
            DomainName target;
            if (cname.Count > 0)
            {
                if (cname.Count > 1)
                {
                    return Failed(answer, DnsFailure.MalformedResponse, $"The answer of {_client.Servers} to {What()} holds {cname.Count} CNAME records for {current}: a name has at most one.");
                }

                var link = await ValidateRrsetAsync(cname, message, ct).ConfigureAwait(false);
                if (link.Failure is not null)
                {
                    return Failed(answer, link.Failure.Value, link.FailureMessage!);
                }

                answer.Merge(link.Status, link.Reason);
                target = cname[0].TargetName();
            }
            else if (dname is not null)
            {
                // A DNAME rewrites the suffix; the CNAME synthesised beside it is unsigned and believed only as the
                // DNAME's consequence (RFC 6672 §5.3.3): the DNAME is what is validated.
                var link = await ValidateRrsetAsync(RRset(message.Answers, dname.Owner, DnsWire.TypeDname), message, ct).ConfigureAwait(false);
                if (link.Failure is not null)
                {
                    return Failed(answer, link.Failure.Value, link.FailureMessage!);
                }

                answer.Merge(link.Status, link.Reason);
                dnames.Add(dname.Owner);
                var dtarget = dname.TargetName();
                target = new DomainName(current.Labels.Take(current.LabelCount - dname.Owner.LabelCount).Concat(dtarget.Labels).ToArray());
                var synthesized = RRset(message.Answers, current, DnsWire.TypeCname);
                if (synthesized.Count > 0 && !synthesized[0].TargetName().Equals(target))
                {
                    answer.Merge(DnssecStatus.Bogus, $"the CNAME for {current} does not follow from the DNAME at {dname.Owner}");
                }
            }
            else
            {
                break;
            }

            if (chainNames.Contains(target))
            {
                return Failed(answer, DnsFailure.MalformedResponse, $"The answer of {_client.Servers} to {What()} has a CNAME loop at {target}.");
            }

            chainNames.Add(target);
            answer.CnameChain.Add(target);
            current = target;
        }

        answer.FinalName = current;

        // Everything in the answer section must belong to the answer.
        var stray = message.Answers.FirstOrDefault(r => r.Type switch
        {
            DnsWire.TypeCname => !chainNames.Contains(r.Owner),
            DnsWire.TypeDname or DnsWire.TypeRrsig => false,
            _ => r.Type != type || !r.Owner.Equals(current),
        });
        if (stray is not null)
        {
            return Failed(answer, DnsFailure.MalformedResponse,
                $"The answer of {_client.Servers} to {What()} holds a {DnsWireClient.TypeName(stray.Type)} record for {stray.Owner}: it does not answer the question, so it is neither data nor a denial.");
        }

        if (data.Count > 0)
        {
            if (answer.NxDomain)
            {
                return Failed(answer, DnsFailure.MalformedResponse, $"{_client.Servers} answered NXDOMAIN for {What()} with records of that type: a contradiction, not an answer.");
            }

            var check = await ValidateRrsetAsync(data, message, ct).ConfigureAwait(false);
            if (check.Failure is not null)
            {
                return Failed(answer, check.Failure.Value, check.FailureMessage!);
            }

            answer.Merge(check.Status, check.Reason);
            answer.Records.AddRange(data);
            var signatures = Signatures(message.Answers, current, type);
            answer.SignatureExpiration = signatures.Count == 0 ? null : signatures.Min(s => s.ExpirationTime(_clock()));
            return answer;
        }

        var denial = await ValidateDenialAsync(current, type, answer.NxDomain, message, ct).ConfigureAwait(false);
        if (denial.Failure is not null)
        {
            return Failed(answer, denial.Failure.Value, denial.FailureMessage!);
        }

        answer.Merge(denial.Status, denial.Reason);
        return answer;
    }

    private static string Sentence(string? text) =>
        string.IsNullOrEmpty(text) ? "No answer." : char.ToUpperInvariant(text![0]) + text.Substring(1) + (text.EndsWith(".", StringComparison.Ordinal) ? string.Empty : ".");

    private static ValidatedAnswer Failed(ValidatedAnswer answer, DnsFailure failure, string message)
    {
        answer.Failure = failure;
        answer.FailureMessage = message;
        answer.Status = DnssecStatus.Indeterminate;
        answer.Records.Clear();
        return answer;
    }

    private sealed class LinkCheck
    {
        public DnssecStatus Status { get; set; }

        public string? Reason { get; set; }

        public DnsFailure? Failure { get; set; }

        public string? FailureMessage { get; set; }

        public static LinkCheck From(ZoneTrust trust) => trust.Kind switch
        {
            TrustKind.Insecure => new LinkCheck { Status = DnssecStatus.Insecure, Reason = trust.Reason },
            TrustKind.Failed => new LinkCheck { Failure = trust.Failure ?? DnsFailure.Transport, FailureMessage = trust.Reason },
            _ => new LinkCheck { Status = DnssecStatus.Bogus, Reason = trust.Reason },
        };
    }

    /// <summary>One RRset of the answer: signed by a secure zone (Secure or Bogus), or proven insecure, or Bogus.</summary>
    private async Task<LinkCheck> ValidateRrsetAsync(List<WireRecord> rrset, DnsWireMessage message, CancellationToken ct)
    {
        var owner = rrset[0].Owner;
        var type = rrset[0].Type;
        var signatures = Signatures(message.Answers, owner, type);
        if (signatures.Count == 0)
        {
            var trust = await TrustForNameAsync(owner, ct).ConfigureAwait(false);
            return trust.Kind == TrustKind.Secure
                ? new LinkCheck { Status = DnssecStatus.Bogus, Reason = $"missing RRSIG: {owner} {DnsWireClient.TypeName(type)} comes without a signature, yet its zone {trust.Zone} is signed" }
                : LinkCheck.From(trust);
        }

        var signer = signatures.Select(s => s.Signer).Where(s => owner.IsAtOrBelow(s)).OrderByDescending(s => s.LabelCount).FirstOrDefault();
        if (signer is null)
        {
            return new LinkCheck { Status = DnssecStatus.Bogus, Reason = $"wrong signer: the RRSIG over {owner} {DnsWireClient.TypeName(type)} names {signatures[0].Signer}, which does not enclose it" };
        }

        var zone = await GetZoneAsync(signer, ct).ConfigureAwait(false);
        if (zone.Kind == TrustKind.NotAZone || zone.Kind == TrustKind.NoSuchName)
        {
            return new LinkCheck { Status = DnssecStatus.Bogus, Reason = $"wrong signer: the RRSIG over {owner} {DnsWireClient.TypeName(type)} names {signer} as signer, which is not a zone" };
        }

        if (zone.Kind != TrustKind.Secure)
        {
            return LinkCheck.From(zone);
        }

        var check = RrsetVerifier.Verify(rrset, signatures.Where(s => s.Signer.Equals(signer)).ToList(), zone.Keys, signer, _clock());
        if (!check.Valid)
        {
            return new LinkCheck { Status = DnssecStatus.Bogus, Reason = check.Reason };
        }

        var ownerLabels = owner.IsWildcard ? owner.LabelCount - 1 : owner.LabelCount;
        if (check.Signature!.Labels < ownerLabels)
        {
            var proof = DenialProof.ProveWildcard(owner, check.Signature.Labels, signer, await NsecsAsync(message, signer, zone, ct).ConfigureAwait(false), await Nsec3sAsync(message, signer, zone, ct).ConfigureAwait(false));
            return proof.Result switch
            {
                DenialResult.Proven => new LinkCheck { Status = DnssecStatus.Secure },
                DenialResult.OptOut or DenialResult.TooManyIterations => new LinkCheck { Status = DnssecStatus.Insecure, Reason = proof.Reason },
                _ => new LinkCheck { Status = DnssecStatus.Bogus, Reason = proof.Reason },
            };
        }

        return new LinkCheck { Status = DnssecStatus.Secure };
    }

    /// <summary>NXDOMAIN or NODATA for <paramref name="name"/>: proven by validated NSEC/NSEC3, or from a provably insecure zone.</summary>
    private async Task<LinkCheck> ValidateDenialAsync(DomainName name, ushort type, bool nxDomain, DnsWireMessage message, CancellationToken ct)
    {
        var denial = nxDomain ? "NXDOMAIN" : "NODATA";
        var signatures = message.Authority.Where(r => r.Type == DnsWire.TypeRrsig && r.Rdata.Length > 2 && r.CoveredType is DnsWire.TypeNsec or DnsWire.TypeNsec3).Select(TryRrsig).Where(s => s is not null).Select(s => s!).ToList();
        if (signatures.Count == 0)
        {
            var trust = await TrustForNameAsync(name, ct).ConfigureAwait(false);
            return trust.Kind == TrustKind.Secure
                ? new LinkCheck { Status = DnssecStatus.Bogus, Reason = $"missing or unsigned denial: the {denial} for {name} {DnsWireClient.TypeName(type)} comes without signed NSEC/NSEC3 records, yet the zone {trust.Zone} is signed" }
                : LinkCheck.From(trust);
        }

        var signer = signatures.Select(s => s.Signer).Where(s => name.IsAtOrBelow(s)).OrderByDescending(s => s.LabelCount).FirstOrDefault();
        if (signer is null)
        {
            return new LinkCheck { Status = DnssecStatus.Bogus, Reason = $"wrong signer: the denial for {name} is signed by {signatures[0].Signer}, which does not enclose it" };
        }

        var zone = await GetZoneAsync(signer, ct).ConfigureAwait(false);
        if (zone.Kind is TrustKind.NotAZone or TrustKind.NoSuchName)
        {
            return new LinkCheck { Status = DnssecStatus.Bogus, Reason = $"wrong signer: the denial for {name} names {signer} as signer, which is not a zone" };
        }

        if (zone.Kind != TrustKind.Secure)
        {
            return LinkCheck.From(zone);
        }

        var (nsecs, nsec3s, problem) = ValidatedDenialRecords(message, signer, zone);
        if (problem is not null)
        {
            return new LinkCheck { Status = DnssecStatus.Bogus, Reason = problem };
        }

        var proof = DenialProof.Prove(name, type, nxDomain, signer, nsecs, nsec3s);
        return proof.Result switch
        {
            DenialResult.Proven => new LinkCheck { Status = DnssecStatus.Secure },
            DenialResult.OptOut or DenialResult.TooManyIterations or DenialResult.InsecureDelegation => new LinkCheck { Status = DnssecStatus.Insecure, Reason = proof.Reason },
            DenialResult.NotACut or DenialResult.NoSuchName => new LinkCheck { Status = DnssecStatus.Secure },
            _ => new LinkCheck { Status = DnssecStatus.Bogus, Reason = proof.Reason },
        };
    }

    private static RrsigInfo? TryRrsig(WireRecord record)
    {
        try
        {
            return new RrsigInfo(record);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The NSEC and NSEC3 RRsets of the authority section signed by <paramref name="signer"/>, each verified.</summary>
    private (List<NsecInfo> Nsecs, List<Nsec3Info> Nsec3s, string? Problem) ValidatedDenialRecords(DnsWireMessage message, DomainName signer, ZoneTrust zone)
    {
        var nsecs = new List<NsecInfo>();
        var nsec3s = new List<Nsec3Info>();
        foreach (var group in message.Authority.Where(r => r.Type is DnsWire.TypeNsec or DnsWire.TypeNsec3 && r.Owner.IsAtOrBelow(signer)).GroupBy(r => (r.Owner.Key, r.Type)))
        {
            var rrset = group.ToList();
            var check = RrsetVerifier.Verify(rrset, Signatures(message.Authority, rrset[0].Owner, rrset[0].Type).Where(s => s.Signer.Equals(signer)).ToList(), zone.Keys, signer, _clock());
            if (!check.Valid)
            {
                return (nsecs, nsec3s, check.Reason);
            }

            try
            {
                if (rrset[0].Type == DnsWire.TypeNsec)
                {
                    nsecs.Add(new NsecInfo(rrset[0]));
                }
                else
                {
                    nsec3s.Add(new Nsec3Info(rrset[0]));
                }
            }
            catch (FormatException ex)
            {
                return (nsecs, nsec3s, $"a malformed {DnsWireClient.TypeName(rrset[0].Type)} record at {rrset[0].Owner}: {ex.Message}");
            }
        }

        return (nsecs, nsec3s, null);
    }

    private Task<List<NsecInfo>> NsecsAsync(DnsWireMessage message, DomainName signer, ZoneTrust zone, CancellationToken ct)
    {
        _ = ct;
        var (nsecs, _, problem) = ValidatedDenialRecords(message, signer, zone);
        return Task.FromResult(problem is null ? nsecs : new List<NsecInfo>());
    }

    private Task<List<Nsec3Info>> Nsec3sAsync(DnsWireMessage message, DomainName signer, ZoneTrust zone, CancellationToken ct)
    {
        _ = ct;
        var (_, nsec3s, problem) = ValidatedDenialRecords(message, signer, zone);
        return Task.FromResult(problem is null ? nsec3s : new List<Nsec3Info>());
    }

    /// <summary>
    /// The trust of the zone that holds <paramref name="name"/>: walks from the root down, one label at a time,
    /// asking DS at each name to find the zone cuts; stops at the first insecure delegation.
    /// </summary>
    public async Task<ZoneTrust> TrustForNameAsync(DomainName name, CancellationToken ct)
    {
        var trust = await GetZoneAsync(DomainName.Root, ct).ConfigureAwait(false);
        if (trust.Kind != TrustKind.Secure)
        {
            return trust;
        }

        for (var labels = 1; labels <= name.LabelCount; labels++)
        {
            var zone = await GetZoneAsync(name.Suffix(labels), ct).ConfigureAwait(false);
            switch (zone.Kind)
            {
                case TrustKind.Secure:
                    trust = zone;
                    break;
                case TrustKind.NotAZone:
                    break;
                case TrustKind.NoSuchName:
                    return trust;
                default:
                    return zone;
            }
        }

        return trust;
    }

    /// <summary>The trust of <paramref name="zone"/> as a possible zone cut (cached, shared by concurrent asks).</summary>
    public Task<ZoneTrust> GetZoneAsync(DomainName zone, CancellationToken ct) =>
        _zones.GetAsync("Z " + zone.Key, () => ComputeZoneAsync(zone, ct));

    private Task<WireExchange> AskCachedAsync(DomainName name, ushort type, CancellationToken ct) =>
        _infrastructure.GetAsync(DnsWireClient.TypeName(type) + " " + name.Key, () => _client.AskAsync(name, type, ct));

    private async Task<ZoneTrust> ComputeZoneAsync(DomainName zone, CancellationToken ct)
    {
        if (_anchors.HasAnchorFor(zone))
        {
            return await KeysFromAnchorsAsync(zone, ct).ConfigureAwait(false);
        }

        if (zone.IsRoot)
        {
            return new ZoneTrust(zone, TrustKind.Insecure, "no trust anchor for the root");
        }

        var exchange = await AskCachedAsync(zone, DnsWire.TypeDs, ct).ConfigureAwait(false);
        if (exchange.Message is not { } message)
        {
            return new ZoneTrust(zone, TrustKind.Failed, Sentence(exchange.Error), failure: exchange.Failure);
        }

        if (message.Rcode is not 0 and not 3)
        {
            return RcodeFailure(zone, DnsWire.TypeDs, message.Rcode);
        }

        var ds = RRset(message.Answers, zone, DnsWire.TypeDs);
        if (ds.Count > 0)
        {
            return await KeysFromDsAsync(zone, ds, message, ct).ConfigureAwait(false);
        }

        // No DS: a denial, signed by the zone that holds the name.
        var signatures = message.Authority.Where(r => r.Type == DnsWire.TypeRrsig && r.Rdata.Length > 2 && r.CoveredType is DnsWire.TypeNsec or DnsWire.TypeNsec3).Select(TryRrsig).Where(s => s is not null).Select(s => s!).ToList();
        if (signatures.Count == 0)
        {
            var above = await TrustForNameAsync(zone.Parent(), ct).ConfigureAwait(false);
            return above.Kind == TrustKind.Secure
                ? new ZoneTrust(zone, TrustKind.Bogus, $"missing or unsigned denial: the answer that {zone} has no DS comes without signed NSEC/NSEC3 records, yet {above.Zone} is signed")
                : above;
        }

        var signer = signatures.Select(s => s.Signer).Where(s => zone.IsBelow(s)).OrderByDescending(s => s.LabelCount).FirstOrDefault();
        if (signer is null)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, $"wrong signer: the denial of DS for {zone} is signed by {signatures[0].Signer}, not by a zone above it");
        }

        var parent = await GetZoneAsync(signer, ct).ConfigureAwait(false);
        if (parent.Kind is TrustKind.NotAZone or TrustKind.NoSuchName)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, $"wrong signer: the denial of DS for {zone} names {signer} as signer, which is not a zone");
        }

        if (parent.Kind != TrustKind.Secure)
        {
            return parent;
        }

        var (nsecs, nsec3s, problem) = ValidatedDenialRecords(message, signer, parent);
        if (problem is not null)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, problem);
        }

        var proof = DenialProof.Prove(zone, DnsWire.TypeDs, message.Rcode == 3, signer, nsecs, nsec3s);
        var until = _clock() + TimeSpan.FromSeconds(Math.Min(3600, message.Authority.Select(r => (double)r.Ttl).DefaultIfEmpty(0).Min()));
        var result = proof.Result switch
        {
            DenialResult.Proven when message.Rcode == 3 => new ZoneTrust(parent.Zone, TrustKind.NoSuchName, null, parent.Keys),
            DenialResult.NotACut or DenialResult.Proven => new ZoneTrust(parent.Zone, TrustKind.NotAZone, null, parent.Keys),
            DenialResult.NoSuchName => new ZoneTrust(parent.Zone, TrustKind.NoSuchName, null, parent.Keys),
            DenialResult.InsecureDelegation => new ZoneTrust(zone, TrustKind.Insecure, $"insecure delegation: {zone} is delegated from {signer} without DS (proven by {proof.Reason})"),
            DenialResult.OptOut or DenialResult.TooManyIterations => new ZoneTrust(zone, TrustKind.Insecure, proof.Reason),
            _ => new ZoneTrust(zone, TrustKind.Bogus, proof.Reason),
        };
        result.ValidUntil = until < parent.ValidUntil ? until : parent.ValidUntil;
        return result;
    }

    private ZoneTrust RcodeFailure(DomainName zone, ushort type, int rcode) => rcode switch
    {
        2 => new ZoneTrust(zone, TrustKind.Failed, $"The resolver answers SERVFAIL for {zone} {DnsWireClient.TypeName(type)}, with checking disabled: the zone's servers are failing or unreachable.", failure: DnsFailure.ServerFailure),
        5 => new ZoneTrust(zone, TrustKind.Failed, $"{_client.Servers} refused the query for {zone} {DnsWireClient.TypeName(type)}, which local DNSSEC validation needs.", failure: DnsFailure.Refused),
        _ => new ZoneTrust(zone, TrustKind.Failed, $"{_client.Servers} answered response code {rcode} for {zone} {DnsWireClient.TypeName(type)}.", failure: DnsFailure.Transport),
    };

    /// <summary>A zone with a DS RRset in its parent: the DS validated by the parent's keys, then the DNSKEY by the DS.</summary>
    private async Task<ZoneTrust> KeysFromDsAsync(DomainName zone, List<WireRecord> ds, DnsWireMessage message, CancellationToken ct)
    {
        var signatures = Signatures(message.Answers, zone, DnsWire.TypeDs);
        if (signatures.Count == 0)
        {
            var above = await TrustForNameAsync(zone.Parent(), ct).ConfigureAwait(false);
            return above.Kind == TrustKind.Secure
                ? new ZoneTrust(zone, TrustKind.Bogus, $"missing RRSIG: the DS of {zone} comes without a signature, yet {above.Zone} is signed")
                : above.Kind == TrustKind.Insecure ? new ZoneTrust(zone, TrustKind.Insecure, above.Reason) : above;
        }

        var signer = signatures.Select(s => s.Signer).Where(s => zone.IsBelow(s)).OrderByDescending(s => s.LabelCount).FirstOrDefault();
        if (signer is null)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, $"wrong signer: the DS of {zone} is signed by {signatures[0].Signer}, not by its parent");
        }

        var parent = await GetZoneAsync(signer, ct).ConfigureAwait(false);
        if (parent.Kind is TrustKind.NotAZone or TrustKind.NoSuchName)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, $"wrong signer: the DS of {zone} names {signer} as signer, which is not a zone");
        }

        if (parent.Kind != TrustKind.Secure)
        {
            return parent.Kind == TrustKind.Insecure ? new ZoneTrust(zone, TrustKind.Insecure, parent.Reason) : parent;
        }

        var check = RrsetVerifier.Verify(ds, signatures.Where(s => s.Signer.Equals(signer)).ToList(), parent.Keys, signer, _clock());
        if (!check.Valid)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, check.Reason);
        }

        List<DsInfo> infos;
        try
        {
            infos = ds.Select(r => new DsInfo(r.Owner, r.Rdata)).ToList();
        }
        catch (FormatException ex)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, $"a malformed DS record for {zone}: {ex.Message}");
        }

        var supported = infos.Where(d => DnssecCrypto.IsSupportedAlgorithm(d.Algorithm) && DnssecCrypto.IsSupportedDigest(d.DigestType)).ToList();
        if (supported.Any(d => d.DigestType != 1))
        {
            supported = supported.Where(d => d.DigestType != 1).ToList(); // RFC 4509 §3: SHA-1 only when nothing stronger is there
        }

        if (supported.Count == 0)
        {
            var algorithms = string.Join(", ", infos.Select(d => $"{DnssecCrypto.AlgorithmName(d.Algorithm)} digest {d.DigestType}").Distinct());
            return new ZoneTrust(zone, TrustKind.Insecure, $"unsupported algorithm: the DS set of {zone} uses only algorithms or digests DanePS does not implement ({algorithms}), so the zone is treated as unsigned (RFC 6840 §5.2)") { ValidUntil = check.ValidUntil };
        }

        var result = await ValidateDnskeyAsync(zone, supported, Array.Empty<DnskeyInfo>(), $"DS of {zone} in {signer}", ct).ConfigureAwait(false);
        if (check.ValidUntil < result.ValidUntil)
        {
            result.ValidUntil = check.ValidUntil;
        }

        if (parent.ValidUntil < result.ValidUntil)
        {
            result.ValidUntil = parent.ValidUntil;
        }

        return result;
    }

    private async Task<ZoneTrust> KeysFromAnchorsAsync(DomainName zone, CancellationToken ct)
    {
        var ds = _anchors.Ds.Where(d => d.Owner.Equals(zone) && DnssecCrypto.IsSupportedAlgorithm(d.Algorithm) && DnssecCrypto.IsSupportedDigest(d.DigestType)).ToList();
        var keys = _anchors.Keys.Where(k => k.Owner.Equals(zone) && DnssecCrypto.IsSupportedAlgorithm(k.Algorithm)).ToList();
        if (ds.Count == 0 && keys.Count == 0)
        {
            return new ZoneTrust(zone, TrustKind.Insecure, $"unsupported algorithm: the trust anchors of {zone} ({_anchors.Describe(zone)}) use only algorithms DanePS does not implement");
        }

        return await ValidateDnskeyAsync(zone, ds, keys, "trust anchor", ct).ConfigureAwait(false);
    }

    /// <summary>Fetches the zone's DNSKEY RRset and validates it with a key that a DS (or anchor key) vouches for.</summary>
    private async Task<ZoneTrust> ValidateDnskeyAsync(DomainName zone, IReadOnlyList<DsInfo> ds, IReadOnlyList<DnskeyInfo> anchorKeys, string from, CancellationToken ct)
    {
        var exchange = await AskCachedAsync(zone, DnsWire.TypeDnskey, ct).ConfigureAwait(false);
        if (exchange.Message is not { } message)
        {
            return new ZoneTrust(zone, TrustKind.Failed, Sentence(exchange.Error), failure: exchange.Failure);
        }

        if (zone.IsRoot && message.Opt is null)
        {
            return StripsDnssec(zone, "answers without EDNS (no OPT record), so it carries no DNSSEC records");
        }

        if (message.Rcode is not 0)
        {
            return message.Rcode == 3
                ? new ZoneTrust(zone, TrustKind.Bogus, $"the resolver says {zone} does not exist, yet the {from} vouches for its keys")
                : RcodeFailure(zone, DnsWire.TypeDnskey, message.Rcode);
        }

        var records = RRset(message.Answers, zone, DnsWire.TypeDnskey);
        var signatures = Signatures(message.Answers, zone, DnsWire.TypeDnskey);
        if (records.Count > 0 && signatures.Count == 0 && zone.IsRoot)
        {
            return StripsDnssec(zone, "returns the root DNSKEY RRset without its RRSIG");
        }

        if (records.Count == 0)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, $"no DNSKEY at {zone}, yet the {from} vouches for its keys");
        }

        List<DnskeyInfo> keys;
        try
        {
            keys = records.Select(r => new DnskeyInfo(r.Owner, r.Rdata)).ToList();
        }
        catch (FormatException ex)
        {
            return new ZoneTrust(zone, TrustKind.Bogus, $"a malformed DNSKEY at {zone}: {ex.Message}");
        }

        var vouched = keys.Where(k => ds.Any(d => d.Matches(k)) || anchorKeys.Any(a => a.Rdata.SequenceEqual(k.Rdata))).ToList();
        if (vouched.Count == 0)
        {
            var tags = string.Join(", ", keys.Select(k => k.KeyTag).Distinct());
            var wanted = string.Join(", ", ds.Select(d => d.KeyTag).Concat(anchorKeys.Select(k => k.KeyTag)).Distinct());
            return zone.IsRoot && from == "trust anchor"
                ? new ZoneTrust(zone, TrustKind.Bogus, $"the root DNSKEY RRset is validated by no trust anchor: the anchors are {_anchors.Describe(zone)}{(_anchors.BuiltIn ? " (the IANA root anchors, built in)" : string.Empty)}, the resolver's root has keys {tags}. Through a private DNS tree, give its trust anchor")
                : new ZoneTrust(zone, TrustKind.Bogus, $"no DS matches a DNSKEY: the {from} names key tag(s) {wanted}, the DNSKEY RRset of {zone} has {tags}");
        }

        string? reason = null;
        foreach (var key in vouched)
        {
            if (key.IsRevoked)
            {
                reason = $"revoked key: DNSKEY {key.KeyTag} of {zone}, which the {from} vouches for, is revoked (RFC 5011)";
                continue;
            }

            if (!key.IsZoneKey)
            {
                reason = $"DNSKEY {key.KeyTag} of {zone} is not a zone key";
                continue;
            }

            var check = RrsetVerifier.Verify(records, signatures.Where(s => s.KeyTag == key.KeyTag && s.Algorithm == key.Algorithm).ToList(), new[] { key }, zone, _clock());
            if (check.Valid)
            {
                return new ZoneTrust(zone, TrustKind.Secure, null, keys) { ValidUntil = check.ValidUntil };
            }

            reason = check.Reason;
        }

        return new ZoneTrust(zone, TrustKind.Bogus, reason);
    }

    private ZoneTrust StripsDnssec(DomainName zone, string what) =>
        new(zone, TrustKind.Failed, $"The resolver removes DNSSEC records ({_client.Servers} {what}), so DanePS cannot validate through it: use -Server with another resolver.", failure: DnsFailure.ResolverRemovesDnssec);

    private static List<WireRecord> RRset(IEnumerable<WireRecord> section, DomainName owner, ushort type)
    {
        var rrset = new List<WireRecord>();
        foreach (var r in section)
        {
            if (r.Type == type && r.Class == 1 && r.Owner.Equals(owner))
            {
                rrset.Add(r);
            }
        }

        return rrset;
    }

    private static List<RrsigInfo> Signatures(IEnumerable<WireRecord> section, DomainName owner, ushort type)
    {
        var signatures = new List<RrsigInfo>();
        foreach (var r in section)
        {
            if (r.Type == DnsWire.TypeRrsig && r.Rdata.Length > 2 && r.CoveredType == type && r.Owner.Equals(owner) && TryRrsig(r) is { } sig)
            {
                signatures.Add(sig);
            }
        }

        return signatures;
    }
}
