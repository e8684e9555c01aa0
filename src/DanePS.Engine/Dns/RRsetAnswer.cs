using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Tlsa;
using DnsClient;
using DnsClient.Protocol;

namespace DanePS.Engine.Dns;

/// <summary>One RRset as the resolver answered it, with a DNSSEC status that is never guessed.</summary>
internal sealed class RRsetAnswer
{
    public string QueryName { get; set; } = string.Empty;

    public string FinalName { get; set; } = string.Empty;

    public DnssecStatus Status { get; set; } = DnssecStatus.Indeterminate;

    public List<DnsResourceRecord> Records { get; } = new();

    public List<string> CnameChain { get; } = new();

    public bool NxDomain { get; set; }

    public DnsFailure? Failure { get; set; }

    public string? FailureMessage { get; set; }

    public DateTimeOffset? SignatureExpiration { get; set; }

    public bool HasData => Failure is null && Records.Count > 0;

    /// <summary>A denial (NXDOMAIN/NODATA) that can be believed: signed, or provably from an unsigned zone.</summary>
    public bool TrustedDenial => Failure is null && Records.Count == 0 && Status is DnssecStatus.Secure or DnssecStatus.Insecure;

    public string Denial => NxDomain ? "NXDOMAIN" : "NODATA";
}

/// <summary>Asks the resolver one question with DO set, and works out the DNSSEC status from AD, SERVFAIL and a CD re-query.</summary>
internal sealed class DnssecQuerier
{
    private readonly LookupClient _client;
    private readonly DnsResolverOptions _options;
    private readonly Func<CancellationToken, Task<bool>> _resolverValidates;

    public DnssecQuerier(LookupClient client, DnsResolverOptions options, Func<CancellationToken, Task<bool>> resolverValidates)
    {
        _client = client;
        _options = options;
        _resolverValidates = resolverValidates;
    }

    public async Task<RRsetAnswer> QueryAsync(string name, QueryType type, CancellationToken ct)
    {
        var answer = new RRsetAnswer { QueryName = name.TrimEnd('.') + ".", FinalName = name.TrimEnd('.') + "." };
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(new DnsQuestion(answer.QueryName, type), ct).ConfigureAwait(false);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            return Fail(answer, DnsFailure.Timeout, $"No answer from {Servers()} for {answer.QueryName} {type} within {_options.Timeout.TotalSeconds:0.#} s ({_options.Retries} retries).");
        }
        catch (Exception ex) when (ex is DnsResponseException or SocketException or IOException)
        {
            return Fail(answer, DnsFailure.Transport, $"Query {answer.QueryName} {type} to {Servers()} failed: {ex.Message}");
        }

        var rcode = response.Header.ResponseCode;
        if (rcode == DnsHeaderResponseCode.ServerFailure)
        {
            var server = response.NameServer is { } ns ? new IPEndPoint(IPAddress.Parse(ns.Address), ns.Port) : null;
            var cd = server is null ? null : await CheckingDisabledProbe.QueryRcodeAsync(server, answer.QueryName, (ushort)type, _options.Timeout, ct).ConfigureAwait(false);
            if (cd is 0 or 3)
            {
                answer.Status = DnssecStatus.Bogus;
                return Fail(answer, DnsFailure.Bogus,
                    $"DNSSEC validation failed for {answer.QueryName} {type}: the resolver answers SERVFAIL, and returns the data only with checking disabled (bogus signatures).", keepStatus: true);
            }

            return Fail(answer, DnsFailure.ServerFailure, $"The resolver answers SERVFAIL for {answer.QueryName} {type}, with checking disabled too: the zone's servers are failing or unreachable.");
        }

        if (rcode == DnsHeaderResponseCode.Refused)
        {
            return Fail(answer, DnsFailure.Refused, $"{Servers()} refused the query for {answer.QueryName} {type}.");
        }

        if (rcode != DnsHeaderResponseCode.NoError && rcode != DnsHeaderResponseCode.NotExistentDomain)
        {
            return Fail(answer, DnsFailure.Transport, $"{Servers()} answered {rcode} for {answer.QueryName} {type}.");
        }

        answer.NxDomain = rcode == DnsHeaderResponseCode.NotExistentDomain;
        answer.Status = response.Header.IsAuthenticData
            ? DnssecStatus.Secure
            : await _resolverValidates(ct).ConfigureAwait(false) ? DnssecStatus.Insecure : DnssecStatus.Indeterminate;

        // Follow the CNAME chain in the answer from the query name to the canonical name.
        var current = answer.QueryName;
        for (var hop = 0; hop < 16; hop++)
        {
            var cname = response.Answers.CnameRecords().FirstOrDefault(c => SameName(WireName(c.DomainName), current));
            if (cname is null)
            {
                break;
            }

            current = WireName(cname.CanonicalName);
            answer.CnameChain.Add(current.TrimEnd('.'));
        }

        answer.FinalName = current;
        answer.Records.AddRange(response.Answers.Where(r => r.RecordType == (ResourceRecordType)type && SameName(WireName(r.DomainName), current)));
        var signatures = response.Answers.RRSigRecords().Where(s => s.CoveredType == (ResourceRecordType)type).ToList();
        answer.SignatureExpiration = signatures.Count == 0 ? null : signatures.Min(s => s.SignatureExpiration);
        return answer;
    }

    private static RRsetAnswer Fail(RRsetAnswer answer, DnsFailure failure, string message, bool keepStatus = false)
    {
        answer.Failure = failure;
        answer.FailureMessage = message;
        if (!keepStatus)
        {
            answer.Status = DnssecStatus.Indeterminate;
        }

        return answer;
    }

    private string Servers() => string.Join(", ", _client.NameServers.Select(s => s.ToString()));

    internal static bool SameName(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A name from an answer as it was on the wire (A-labels). DnsClient turns names with an "xn--" label into
    /// Unicode in one of its two properties (which one depends on its version); DanePS compares and reports A-labels.
    /// </summary>
    internal static string WireName(DnsString name) =>
        IsAscii(name.Value) ? name.Value : IsAscii(name.Original) ? name.Original : new System.Globalization.IdnMapping().GetAscii(name.Value);

    private static bool IsAscii(string? s) => s is not null && s.All(c => c < 0x80);
}
