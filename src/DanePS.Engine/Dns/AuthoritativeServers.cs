using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace DanePS.Engine.Dns;

/// <summary>
/// Asks every authoritative server of the zone (each NS name, each address) for a TLSA RRset directly:
/// a record that has not reached a secondary is the classic reason a rollover breaks mail.
/// </summary>
internal static class AuthoritativeServers
{
    public static async Task<(IReadOnlyList<AuthoritativeAnswer> Answers, string? Problem)> AskAllAsync(DnssecQuerier resolver, string ownerName, DnsResolverOptions options, CancellationToken ct)
    {
        var zone = await FindZoneAsync(resolver, ownerName, ct).ConfigureAwait(false);
        if (zone is null)
        {
            return (Array.Empty<AuthoritativeAnswer>(), $"The zone of {ownerName} could not be found, so its authoritative servers were not asked.");
        }

        var ns = await resolver.QueryAsync(zone, QueryType.NS, ct).ConfigureAwait(false);
        var names = ns.Records.OfType<NsRecord>().Select(r => r.NSDName.Value.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count == 0)
        {
            return (Array.Empty<AuthoritativeAnswer>(), $"No NS records for {zone}: {ns.FailureMessage ?? "empty answer"}.");
        }

        // Every address of every NS name, asked at once.
        var lookups = await Task.WhenAll(names.SelectMany(name => new[] { QueryType.A, QueryType.AAAA }
            .Select(async type => (Name: name, Answer: await resolver.QueryAsync(name, type, ct).ConfigureAwait(false))))).ConfigureAwait(false);
        var targets = lookups.SelectMany(l => l.Answer.Records.OfType<AddressRecord>().Select(r => (l.Name, r.Address))).ToList();

        var answers = await Task.WhenAll(targets.Select(t => AskOneAsync(t.Name, t.Address, zone, ownerName, options, ct))).ConfigureAwait(false);
        return (answers, null);
    }

    private static async Task<string?> FindZoneAsync(DnssecQuerier resolver, string ownerName, CancellationToken ct)
    {
        // Walk up from the owner name until a name has its own SOA: that is the zone apex.
        var labels = ownerName.TrimEnd('.').Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var candidate = string.Join(".", labels.Skip(i)) + ".";
            var soa = await resolver.QueryAsync(candidate, QueryType.SOA, ct).ConfigureAwait(false);
            if (soa.Failure is not null)
            {
                return null;
            }

            if (soa.Records.OfType<SoaRecord>().Any())
            {
                return soa.FinalName;
            }
        }

        return null;
    }

    /// <summary>
    /// A client that asks one authoritative server itself: no recursion and no cache, so the answer is what that
    /// server holds now (a zone's servers compared, an RFC 2136 primary read back).
    /// </summary>
    internal static LookupClient DirectClient(IPEndPoint server, TimeSpan timeout, int retries) =>
        new(new LookupClientOptions(new NameServer(server))
        {
            UseCache = false,
            Recursion = false,
            Timeout = timeout,
            Retries = retries,
            UseTcpFallback = true,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
        });

    private static async Task<AuthoritativeAnswer> AskOneAsync(string serverName, IPAddress address, string zone, string ownerName, DnsResolverOptions options, CancellationToken ct)
    {
        var client = DirectClient(new IPEndPoint(address, 53), options.Timeout, options.Retries);
        try
        {
            var soa = await client.QueryAsync(zone, QueryType.SOA, QueryClass.IN, ct).ConfigureAwait(false);
            var tlsa = await client.QueryAsync(ownerName, QueryType.TLSA, QueryClass.IN, ct).ConfigureAwait(false);
            var serial = soa.Answers.SoaRecords().FirstOrDefault()?.Serial;
            if (!tlsa.Header.HasAuthorityAnswer || (tlsa.Header.ResponseCode != DnsHeaderResponseCode.NoError && tlsa.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain))
            {
                return new AuthoritativeAnswer(serverName, address, serial, Array.Empty<string>(),
                    $"not an authoritative answer ({tlsa.Header.ResponseCode}{(tlsa.Header.HasAuthorityAnswer ? string.Empty : ", AA not set")})");
            }

            var records = tlsa.Answers.TlsaRecords()
                .Select(r => new Tlsa.TlsaRecord((byte)r.CertificateUsage, (byte)r.Selector, (byte)r.MatchingType, r.CertificateAssociationData.ToArray()).ToString())
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToList();
            return new AuthoritativeAnswer(serverName, address, serial, records, null);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (DnsResponseException ex)
        {
            return new AuthoritativeAnswer(serverName, address, null, Array.Empty<string>(), ex.Code == DnsResponseCode.ConnectionTimeout ? "no answer (timeout)" : ex.Message);
        }
        catch (Exception ex) when (ex is DnsResponseParseException or DnsXidMismatchException or IndexOutOfRangeException or ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            return new AuthoritativeAnswer(serverName, address, null, Array.Empty<string>(), $"a malformed or mismatched response ({ex.Message})");
        }
    }
}
