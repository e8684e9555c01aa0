using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dnssec;
using DanePS.Engine.Tlsa;
using DnsClient;
using DnsClient.Protocol;

namespace DanePS.Engine.Dns;

/// <summary>
/// Asks the resolver one question with DO set, and works out the DNSSEC status from AD (believed only from a
/// resolver found to validate), SERVFAIL and a CD re-query. A response that cannot be parsed, belongs to another
/// query, or does not answer the question is a failure of its own kind: never data, never a denial.
/// </summary>
internal sealed class DnssecQuerier
{
    private readonly LookupClient _client;
    private readonly DnsResolverOptions _options;
    private readonly ResolverProbe _resolver;
    private readonly Func<CancellationToken, Task<DnssecValidationMode>>? _mode;
    private readonly Func<DnssecValidator>? _validator;

    public DnssecQuerier(LookupClient client, DnsResolverOptions options, ResolverProbe resolver, Func<CancellationToken, Task<DnssecValidationMode>>? mode = null, Func<DnssecValidator>? validator = null)
    {
        _client = client;
        _options = options;
        _resolver = resolver;
        _mode = mode;
        _validator = validator;
    }

    public async Task<RRsetAnswer> QueryAsync(string name, QueryType type, CancellationToken ct)
    {
        var answer = new RRsetAnswer { QueryName = name.TrimEnd('.') + ".", FinalName = name.TrimEnd('.') + "." };
        if (_resolver.KnownSilent)
        {
            return Fail(answer, DnsFailure.Timeout, $"{Servers()} has answered no query in this run (it did not answer within {_options.Timeout.TotalSeconds:0.#} s and {_options.Retries} retries), so {answer.QueryName} {type} was not asked.");
        }

        if (_mode is not null && _validator is not null && await _mode(ct).ConfigureAwait(false) == DnssecValidationMode.Local)
        {
            if (_resolver.KnownSilent)
            {
                return Fail(answer, DnsFailure.Timeout, $"{Servers()} has answered no query in this run (it did not answer within {_options.Timeout.TotalSeconds:0.#} s and {_options.Retries} retries), so {answer.QueryName} {type} was not asked.");
            }

            return await LocalAsync(answer, type, ct).ConfigureAwait(false);
        }

        var asked = new DnsQuestion(answer.QueryName, type);
        IDnsQueryResponse response;

        // A query asked while the assessment is still waiting ends with it when it finds the resolver silent, so a
        // run against a dead resolver takes one deadline, not one more for every query that started meanwhile.
        // Once the assessment is known (nearly every query), there is nothing to wait for and nothing to link.
        var foundSilent = _resolver.WhenFoundSilentAsync();
        using var silence = foundSilent.IsCompleted ? null : CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (silence is not null)
        {
            _ = foundSilent.ContinueWith(
                t =>
                {
                    try
                    {
                        if (t.Result)
                        {
                            silence.Cancel();
                        }
                    }
                    catch (ObjectDisposedException)
                    {
                        // The query ended first.
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        try
        {
            response = await _client.QueryAsync(asked, silence?.Token ?? ct).ConfigureAwait(false);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct); // Ctrl+C, not a timeout
        }
        catch (Exception) when (silence?.IsCancellationRequested == true)
        {
            return Fail(answer, DnsFailure.Timeout, $"{Servers()} has answered no query in this run (it did not answer within {_options.Timeout.TotalSeconds:0.#} s and {_options.Retries} retries), so the wait for {answer.QueryName} {type} was ended.");
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            return Fail(answer, DnsFailure.Timeout, $"No answer from {Servers()} for {answer.QueryName} {type} within {_options.Timeout.TotalSeconds:0.#} s ({_options.Retries} retries).");
        }
        catch (DnsXidMismatchException ex)
        {
            _resolver.NoteAnswer();
            return Fail(answer, DnsFailure.MismatchedResponse,
                $"{Servers()} answered {answer.QueryName} {type} with message id {ex.ResponseXid} instead of {ex.RequestXid}: a reply to another query (or a spoofing attempt), not an answer.");
        }
        catch (Exception ex) when (ex is DnsResponseParseException or IndexOutOfRangeException or ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            // DnsResponseParseException, or what a parser throws when a length field points past the end.
            _resolver.NoteAnswer();
            return Fail(answer, DnsFailure.MalformedResponse, $"The response of {Servers()} to {answer.QueryName} {type} cannot be parsed: {ex.Message}");
        }
        catch (Exception ex) when (ex is DnsResponseException or SocketException or IOException)
        {
            return Fail(answer, DnsFailure.Transport, $"Query {answer.QueryName} {type} to {Servers()} failed: {ex.Message}");
        }

        _resolver.NoteAnswer();
        var question = response.Questions.Count == 1 ? response.Questions[0] : null;
        if (question is null || !SameName(WireName(question.QueryName), answer.QueryName) || question.QuestionType != type || question.QuestionClass != QueryClass.IN)
        {
            return Fail(answer, DnsFailure.MismatchedResponse,
                $"{Servers()} answered a question other than {answer.QueryName} {type} ({string.Join(", ", response.Questions.Select(q => $"{q.QueryName} {q.QuestionType}"))}): not an answer.");
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

        // Follow the CNAME chain in the answer from the query name to the canonical name.
        var current = answer.QueryName;
        var chain = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { current.TrimEnd('.') };
        for (var hop = 0; hop < 16; hop++)
        {
            var cname = response.Answers.CnameRecords().FirstOrDefault(c => SameName(WireName(c.DomainName), current));
            if (cname is null)
            {
                break;
            }

            current = WireName(cname.CanonicalName);
            chain.Add(current.TrimEnd('.'));
            answer.CnameChain.Add(current.TrimEnd('.'));
        }

        answer.FinalName = current;

        // Everything in the answer section must belong to the answer: the chain's CNAMEs (and DNAMEs that made
        // them), signatures, and records of the type asked at the canonical name. Anything else means the response
        // does not answer the question, and an empty RRset in it must not read as "no records".
        var stray = response.Answers.FirstOrDefault(r => r.RecordType switch
        {
            ResourceRecordType.CNAME => !chain.Contains(WireName(r.DomainName).TrimEnd('.')),
            (ResourceRecordType)39 or ResourceRecordType.RRSIG => false, // 39: DNAME, which DnsClient does not name
            _ => r.RecordType != (ResourceRecordType)type || !SameName(WireName(r.DomainName), current),
        });
        if (stray is not null)
        {
            return Fail(answer, DnsFailure.MalformedResponse,
                $"The answer of {Servers()} to {answer.QueryName} {type} holds a {stray.RecordType} record for {stray.DomainName}: it does not answer the question, so it is neither data nor a denial.");
        }

        answer.Records.AddRange(response.Answers.Where(r => r.RecordType == (ResourceRecordType)type));
        if (answer.NxDomain && answer.Records.Count > 0)
        {
            return Fail(answer, DnsFailure.MalformedResponse, $"{Servers()} answered NXDOMAIN for {answer.QueryName} {type} with records of that type: a contradiction, not an answer.");
        }

        // The AD bit means something only from a resolver that validates: from any other, nothing is Secure.
        var validates = (await _resolver.GetAsync(ct).ConfigureAwait(false)).Validates;
        answer.Status = !validates ? DnssecStatus.Indeterminate : response.Header.IsAuthenticData ? DnssecStatus.Secure : DnssecStatus.Insecure;
        var signatures = response.Answers.RRSigRecords().Where(s => s.CoveredType == (ResourceRecordType)type).ToList();
        answer.SignatureExpiration = signatures.Count == 0 ? null : signatures.Min(s => s.SignatureExpiration);
        return answer;
    }

    /// <summary>
    /// The same question validated by DanePS itself (<see cref="DnssecValidator"/>), in the shape of a resolver-mode
    /// answer, so everything downstream (TLSA base domains, MX, addresses) reads it the same way.
    /// </summary>
    private async Task<RRsetAnswer> LocalAsync(RRsetAnswer answer, QueryType type, CancellationToken ct)
    {
        DomainName name;
        try
        {
            name = DomainName.Parse(answer.QueryName);
        }
        catch (FormatException ex)
        {
            return Fail(answer, DnsFailure.MalformedResponse, $"{answer.QueryName} cannot be asked: {ex.Message}");
        }

        var validated = await _validator!().QueryAsync(name, (ushort)type, ct).ConfigureAwait(false);
        if (validated.Failure is { } failure)
        {
            if (failure != DnsFailure.Timeout)
            {
                _resolver.NoteAnswer();
            }

            return Fail(answer, failure, validated.FailureMessage ?? failure.ToString());
        }

        _resolver.NoteAnswer();
        answer.ValidatedLocally = true;
        answer.NxDomain = validated.NxDomain;
        answer.FinalName = validated.FinalName.ToString();
        answer.CnameChain.AddRange(validated.CnameChain.Select(n => n.ToString().TrimEnd('.')));
        answer.Status = validated.Status;
        answer.ValidationReason = validated.Reason;
        answer.SignatureExpiration = validated.SignatureExpiration;
        if (validated.Status == DnssecStatus.Bogus)
        {
            return Fail(answer, DnsFailure.Bogus, $"DNSSEC validation failed for {answer.QueryName} {type} (validated by DanePS): {validated.Reason}.", keepStatus: true);
        }

        try
        {
            answer.Records.AddRange(validated.Records.Select(ToDnsClientRecord));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            return Fail(answer, DnsFailure.MalformedResponse, $"The response of {Servers()} to {answer.QueryName} {type} cannot be parsed: {ex.Message}");
        }

        return answer;
    }

    /// <summary>A record as DnsClient would have parsed it, from the validated wire form.</summary>
    internal static DnsResourceRecord ToDnsClientRecord(WireRecord record)
    {
        var info = new ResourceRecordInfo(DnsString.Parse(record.Owner.ToString()), (ResourceRecordType)record.Type, QueryClass.IN, (int)Math.Min(record.Ttl, int.MaxValue), record.Rdata.Length);
        var rdata = record.Rdata;
        int offset;
        switch (record.Type)
        {
            case DnsWire.TypeA:
                return rdata.Length == 4 ? new ARecord(info, new IPAddress(rdata)) : throw new FormatException($"an A record of {rdata.Length} bytes");
            case DnsWire.TypeAaaa:
                return rdata.Length == 16 ? new AaaaRecord(info, new IPAddress(rdata)) : throw new FormatException($"an AAAA record of {rdata.Length} bytes");
            case DnsWire.TypeTlsa:
                return rdata.Length >= 3 ? new DnsClient.Protocol.TlsaRecord(info, rdata[0], rdata[1], rdata[2], rdata.Skip(3).ToArray()) : throw new FormatException($"a TLSA record of {rdata.Length} bytes");
            case DnsWire.TypeMx:
                offset = 2;
                return rdata.Length >= 3 ? new MxRecord(info, (ushort)((rdata[0] << 8) | rdata[1]), DnsString.Parse(DnsWire.ReadName(rdata, ref offset).ToString())) : throw new FormatException("an MX record too short");
            case DnsWire.TypeNs:
                return new NsRecord(info, DnsString.Parse(record.TargetName().ToString()));
            case DnsWire.TypePtr:
                return new PtrRecord(info, DnsString.Parse(record.TargetName().ToString()));
            case DnsWire.TypeSoa:
                offset = 0;
                var mname = DnsWire.ReadName(rdata, ref offset);
                var rname = DnsWire.ReadName(rdata, ref offset);
                if (offset + 20 != rdata.Length)
                {
                    throw new FormatException("an SOA record of the wrong length");
                }

                uint U32(int i) => ((uint)rdata[i] << 24) | ((uint)rdata[i + 1] << 16) | ((uint)rdata[i + 2] << 8) | rdata[i + 3];
                return new SoaRecord(info, DnsString.Parse(mname.ToString()), DnsString.Parse(rname.ToString()), U32(offset), U32(offset + 4), U32(offset + 8), U32(offset + 12), U32(offset + 16));
            case DnsWire.TypeTxt:
                // One or more character-strings, each a length byte and that many bytes (RFC 1035 section 3.3.14).
                var texts = new List<string>();
                for (offset = 0; offset < rdata.Length;)
                {
                    var length = rdata[offset++];
                    if (offset + length > rdata.Length)
                    {
                        throw new FormatException("a TXT character-string runs past the end of its record");
                    }

                    texts.Add(System.Text.Encoding.UTF8.GetString(rdata, offset, length));
                    offset += length;
                }

                return new TxtRecord(info, texts.ToArray(), texts.ToArray());
            default:
                return new UnknownRecord(info, rdata);
        }
    }

    private static RRsetAnswer Fail(RRsetAnswer answer, DnsFailure failure, string message, bool keepStatus = false)
    {
        answer.Failure = failure;
        answer.FailureMessage = message;
        if (!keepStatus)
        {
            answer.Status = DnssecStatus.Indeterminate;
        }

        answer.Records.Clear();
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
