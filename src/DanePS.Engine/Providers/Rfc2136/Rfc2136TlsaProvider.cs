using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;
using DnsClient;
using DnsClient.Protocol;
using TlsaRecord = DanePS.Engine.Tlsa.TlsaRecord;

namespace DanePS.Engine.Providers.Rfc2136;

/// <summary>
/// TLSA records changed by RFC 2136 dynamic update signed with TSIG (RFC 8945), as BIND, Knot and PowerDNS accept:
/// one single-RR add or delete per request, no prerequisites, sent to the zone's primary (its SOA MNAME unless
/// given), over UDP with TCP when the answer is truncated, the message is large or UDP goes unanswered. The answer's
/// TSIG must verify, or the change is reported as failed. Records are listed by asking the primary directly.
/// </summary>
public sealed class Rfc2136TlsaProvider : TlsaProvider
{
    private const int UdpLimit = 512;

    private readonly Rfc2136ProviderOptions _options;
    private readonly TsigKey _key;
    private readonly ConcurrentDictionary<string, (string Zone, IPEndPoint Primary)> _zones = new(StringComparer.Ordinal);

    /// <summary>Creates the provider.</summary>
    public Rfc2136TlsaProvider(Rfc2136ProviderOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _key = options.Key ?? throw new ArgumentException("RFC 2136 updates need a TSIG key.", nameof(options));
    }

    /// <inheritdoc />
    public override string Description
    {
        get
        {
            var where = _options.PrimaryServer is { } p ? $" at {p}" : string.Empty;
            var zone = string.IsNullOrWhiteSpace(_options.Zone) ? string.Empty : $" zone {_options.Zone!.TrimEnd('.')}";
            return $"RFC 2136{zone}{where} (TSIG key {_key.Name})";
        }
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<PublishedTlsaRecord>> ListCoreAsync(string ownerName, CancellationToken cancellationToken)
    {
        var (_, primary) = await ZoneOfAsync(ownerName, cancellationToken).ConfigureAwait(false);
        var client = AuthoritativeServers.DirectClient(primary, _options.Timeout, _options.Retries);
        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(ownerName, QueryType.TLSA, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new TlsaProviderException(TlsaProviderFailure.Unreachable, $"The primary {primary} did not answer for TLSA at {ownerName}: {ex.Message}", ex);
        }

        if (response.Header.ResponseCode is not (DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain))
        {
            throw new TlsaProviderException(TlsaProviderFailure.Refused, $"The primary {primary} answered {response.Header.ResponseCode} for TLSA at {ownerName}.") { ProviderCode = (int)response.Header.ResponseCode };
        }

        return response.Answers.TlsaRecords()
            .Where(r => string.Equals(r.DomainName.Value.TrimEnd('.'), ownerName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            .Select(r => new PublishedTlsaRecord(ownerName, new TlsaRecord((byte)r.CertificateUsage, (byte)r.Selector, (byte)r.MatchingType, r.CertificateAssociationData.ToArray()), r.InitialTimeToLive, null))
            .ToList();
    }

    /// <inheritdoc />
    protected override async Task<bool> AddCoreAsync(string ownerName, TlsaRecord record, int ttl, CancellationToken cancellationToken)
    {
        await UpdateAsync(new DnsUpdateMessage.Change(ownerName, record, add: true, ttl <= 0 ? 300 : ttl), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    protected override async Task<bool> RemoveCoreAsync(PublishedTlsaRecord record, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        await UpdateAsync(new DnsUpdateMessage.Change(record.OwnerName, record.Record, add: false, 0), cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task UpdateAsync(DnsUpdateMessage.Change change, CancellationToken cancellationToken)
    {
        var (zone, primary) = await ZoneOfAsync(change.OwnerName, cancellationToken).ConfigureAwait(false);
        var request = DnsUpdateMessage.Build(zone, new[] { change }, _key, DateTimeOffset.UtcNow, _options.Fudge);
        var verb = change.Add ? "add" : "delete";
        Narrate($"RFC 2136: {verb} {change.OwnerName} TLSA {change.Record.ToShortString()} in zone {zone} at {primary} (TSIG key {_key.Name}, {_key.Algorithm}).");
        byte[]? response = null;
        if (request.Message.Length <= UdpLimit)
        {
            response = await SendUdpAsync(primary, request, cancellationToken).ConfigureAwait(false);
        }

        DnsUpdateMessage.Answer? answer = null;
        if (response is not null)
        {
            answer = Parse(response, request, primary);
        }

        if (answer is null || answer.Truncated)
        {
            Narrate($"RFC 2136: sending the update to {primary} over TCP ({(answer is null ? "no UDP answer or a large message" : "the UDP answer was truncated")}).");
            answer = Parse(await SendTcpAsync(primary, request, cancellationToken).ConfigureAwait(false), request, primary);
        }

        if (answer.TsigError != 0 || answer.ResponseCode == 9)
        {
            throw new TlsaProviderException(TlsaProviderFailure.AuthenticationFailed,
                $"{primary} refused the TSIG key '{_key.Name}' ({_key.Algorithm}) for zone {zone}: {DnsUpdateMessage.ResponseCodeName(answer.ResponseCode)}{(answer.TsigError != 0 ? "/" + DnsUpdateMessage.TsigErrorName(answer.TsigError) : string.Empty)}.")
            { ProviderCode = answer.TsigError != 0 ? answer.TsigError : answer.ResponseCode };
        }

        if (answer.ResponseCode != 0)
        {
            var failure = answer.ResponseCode == 10 ? TlsaProviderFailure.ZoneNotFound : TlsaProviderFailure.Refused;
            throw new TlsaProviderException(failure, $"{primary} answered {DnsUpdateMessage.ResponseCodeName(answer.ResponseCode)} to the update ({verb} {change.OwnerName} TLSA {change.Record.ToShortString()} in zone {zone}).")
            { ProviderCode = answer.ResponseCode };
        }

        if (!answer.TsigVerified)
        {
            throw new TlsaProviderException(TlsaProviderFailure.MalformedResponse,
                $"{primary} accepted the update, but its answer cannot be trusted: {(answer.HasTsig ? answer.TsigProblem : "the answer is not signed")}. Check the record with Get-TlsaRecord before relying on it.");
        }
    }

    private static DnsUpdateMessage.Answer Parse(byte[] response, DnsUpdateMessage.SignedRequest request, IPEndPoint primary, TsigKey key, TimeSpan fudge)
    {
        try
        {
            return DnsUpdateMessage.Read(response, request, key, DateTimeOffset.UtcNow, fudge);
        }
        catch (FormatException ex)
        {
            throw new TlsaProviderException(TlsaProviderFailure.MalformedResponse, $"{primary} sent an answer that is not a DNS UPDATE response: {ex.Message}", ex);
        }
    }

    private DnsUpdateMessage.Answer Parse(byte[] response, DnsUpdateMessage.SignedRequest request, IPEndPoint primary) =>
        Parse(response, request, primary, _key, _options.Fudge);

    private async Task<byte[]?> SendUdpAsync(IPEndPoint primary, DnsUpdateMessage.SignedRequest request, CancellationToken cancellationToken)
    {
        using var udp = new UdpClient(primary.AddressFamily);
        udp.Connect(primary);
        for (var attempt = 0; attempt <= _options.Retries; attempt++)
        {
            await udp.SendAsync(request.Message, request.Message.Length).ConfigureAwait(false);
            var deadline = DateTime.UtcNow + _options.Timeout;
            while (DateTime.UtcNow < deadline)
            {
                var receive = udp.ReceiveAsync();
                var finished = await Task.WhenAny(receive, Task.Delay(deadline - DateTime.UtcNow, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (finished != receive)
                {
                    break;
                }

                UdpReceiveResult result;
                try
                {
                    result = await receive.ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // ICMP port unreachable: nothing listens on UDP; TCP is tried next.
                    return null;
                }

                if (result.Buffer.Length >= 2 && DnsUpdateMessage.ReadUInt16(result.Buffer, 0) == request.Id)
                {
                    return result.Buffer;
                }
            }
        }

        return null;
    }

    private async Task<byte[]> SendTcpAsync(IPEndPoint primary, DnsUpdateMessage.SignedRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        using var tcp = new TcpClient(primary.AddressFamily);
        using var registration = timeout.Token.Register(() => tcp.Dispose());
        try
        {
            await tcp.ConnectAsync(primary.Address, primary.Port).ConfigureAwait(false);
            return await DnsTcpExchange.SendAsync(tcp.GetStream(), request.Message, timeout.Token).ConfigureAwait(false)
                ?? throw new IOException("The answer is too short to be a DNS message.");
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TlsaProviderException(TlsaProviderFailure.Unreachable, $"The primary {primary} did not answer the update over UDP or TCP within {_options.Timeout.TotalSeconds:0.#} s: {ex.Message}", ex);
        }
    }

    private async Task<(string Zone, IPEndPoint Primary)> ZoneOfAsync(string ownerName, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.Zone) && _options.PrimaryServer is { } given)
        {
            return (TlsaProvider.NormalizeOwner(_options.Zone!), given);
        }

        var key = string.IsNullOrWhiteSpace(_options.Zone) ? ownerName : TlsaProvider.NormalizeOwner(_options.Zone!);
        if (_zones.TryGetValue(key, out var known))
        {
            return known;
        }

        // With a given primary and no resolver, the primary itself says where its zone starts.
        var servers = _options.Resolver.Servers.Count == 0 && _options.PrimaryServer is { } primaryServer
            ? new[] { new NameServer(primaryServer) }
            : _options.Resolver.Servers.Select(s => new NameServer(s)).ToArray();
        var lookupOptions = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = _options.Resolver.Timeout;
        lookupOptions.Retries = _options.Resolver.Retries;
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.ContinueOnDnsError = false;
        var client = new LookupClient(lookupOptions);
        try
        {
            // The SOA of a name inside a zone comes back in the authority section: one query finds the zone and its
            // MNAME. It is asked for the host name, not the TLSA owner: asking a resolver about an owner name that
            // does not exist yet would make it cache the absence (with aggressive NSEC, of every type) for the
            // negative TTL, just before the record is added.
            var soaResponse = await client.QueryAsync(HostPart(key), QueryType.SOA, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            var soa = soaResponse.Answers.SoaRecords().Concat(soaResponse.Authorities.SoaRecords()).FirstOrDefault()
                ?? throw new TlsaProviderException(TlsaProviderFailure.ZoneNotFound, $"No SOA was found for {key} ({soaResponse.Header.ResponseCode}), so its zone and primary server are unknown; give -Zone and -PrimaryServer.");
            var zone = TlsaProvider.NormalizeOwner(_options.Zone ?? soa.DomainName.Value);
            var primary = _options.PrimaryServer;
            if (primary is null)
            {
                var mname = soa.MName.Value;
                var addresses = new List<IPAddress>();
                foreach (var type in new[] { QueryType.A, QueryType.AAAA })
                {
                    var response = await client.QueryAsync(mname, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
                    addresses.AddRange(response.Answers.AddressRecords().Select(a => a.Address));
                }

                primary = addresses.Count > 0
                    ? new IPEndPoint(addresses[0], 53)
                    : throw new TlsaProviderException(TlsaProviderFailure.ZoneNotFound, $"The primary named in the SOA of {zone} ({mname}) has no address; give -PrimaryServer.");
                Narrate($"RFC 2136: zone {zone}, primary {mname} at {primary} (from the SOA MNAME).");
            }

            var found = (zone, primary);
            _zones[key] = found;
            return found;
        }
        catch (DnsResponseException ex)
        {
            throw new TlsaProviderException(TlsaProviderFailure.Unreachable, $"The zone of {key} could not be looked up: {ex.Message}", ex);
        }
    }

    private static string HostPart(string ownerName)
    {
        var labels = ownerName.TrimEnd('.').Split('.');
        var skip = labels.TakeWhile(l => l.StartsWith("_", StringComparison.Ordinal)).Count();
        return skip >= labels.Length ? ownerName : string.Join(".", labels.Skip(skip)) + ".";
    }
}
