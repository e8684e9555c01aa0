using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>One standard environment for all tests of <see cref="DnsTestEnvironmentTests"/>.</summary>
public sealed class StandardDnsEnvironmentFixture : IAsyncLifetime
{
    private DnsTestEnvironment? environment;

    public DnsTestEnvironment Environment => environment ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => environment = await DnsTestEnvironment.StartAsync(StandardDaneZones.Create());

    public async Task DisposeAsync()
    {
        if (environment is not null)
        {
            await environment.DisposeAsync();
        }
    }
}

public sealed class DnsTestEnvironmentTests : IClassFixture<StandardDnsEnvironmentFixture>
{
    private readonly DnsTestEnvironment environment;
    private readonly ITestOutputHelper output;

    public DnsTestEnvironmentTests(StandardDnsEnvironmentFixture fixture, ITestOutputHelper output)
    {
        environment = fixture.Environment;
        this.output = output;
    }

    public static TheoryData<string, string> CaseKeys()
    {
        var data = new TheoryData<string, string>();
        foreach (var dnsCase in StandardDaneZones.Cases)
        {
            data.Add(dnsCase.Name, dnsCase.Type);
        }

        return data;
    }

    [Fact]
    public void Starts_quickly_on_its_own_loopback_block()
    {
        output.WriteLine($"Start took {environment.StartupTime.TotalMilliseconds:F0} ms; resolver {environment.ResolverEndPoint}; trust anchor {environment.TrustAnchor}");
        Assert.True(environment.StartupTime < TimeSpan.FromSeconds(10), $"start took {environment.StartupTime}");
        Assert.All(environment.AuthoritativeAddresses.Append(environment.ResolverEndPoint.Address), a => Assert.True(IPAddress.IsLoopback(a), a.ToString()));
        Assert.Equal(3, environment.AuthoritativeAddresses.Count);
        Assert.Equal(environment.AuthoritativeAddresses.Count + 1, environment.AuthoritativeAddresses.Append(environment.ResolverEndPoint.Address).Distinct().Count());
        Assert.Matches(@"^\. 3600 IN DS \d+ 13 2 [0-9A-F]{64}$", environment.TrustAnchor);
        Assert.Contains($" {environment.RootKeyTag} 13 2 ", environment.TrustAnchor, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CaseKeys))]
    public async Task Resolver_answers_every_standard_case_as_documented(string name, string type)
    {
        var expected = StandardDaneZones.Cases.Single(c => c.Name == name && c.Type == type);
        var queryType = Enum.Parse<QueryType>(type);
        var response = await Client().QueryAsync(name, queryType);
        var records = response.Answers.Where(r => r.RecordType == (ResourceRecordType)queryType).ToList();
        output.WriteLine($"{expected}: {response.Header}");

        var (rcode, ad) = expected.Outcome switch
        {
            ExpectedDnsOutcome.Secure => (DnsHeaderResponseCode.NoError, true),
            ExpectedDnsOutcome.Insecure => (DnsHeaderResponseCode.NoError, false),
            ExpectedDnsOutcome.Bogus => (DnsHeaderResponseCode.ServerFailure, false),
            ExpectedDnsOutcome.SecureNxDomain => (DnsHeaderResponseCode.NotExistentDomain, true),
            ExpectedDnsOutcome.InsecureNxDomain => (DnsHeaderResponseCode.NotExistentDomain, false),
            ExpectedDnsOutcome.SecureNoData => (DnsHeaderResponseCode.NoError, true),
            _ => (DnsHeaderResponseCode.NoError, false),
        };
        Assert.Equal(rcode, response.Header.ResponseCode);
        Assert.Equal(ad, response.Header.IsAuthenticData);
        Assert.False(response.Header.ResultTruncated);
        Assert.Equal(expected.Outcome == ExpectedDnsOutcome.Bogus ? 0 : expected.RecordCount, records.Count);
        if (expected.Ttl is { } ttl)
        {
            Assert.All(records, r => Assert.Equal(ttl, r.InitialTimeToLive));
        }

        var owner = (expected.OwnerName ?? expected.Name) + ".";
        Assert.All(records, r => Assert.Equal(owner, r.DomainName.Value));
        if (expected.OwnerName is not null)
        {
            Assert.Contains(response.Answers, r => r is CNameRecord);
        }
    }

    [Fact]
    public async Task Secure_tlsa_has_ad_and_the_data_written_in_groups()
    {
        var answer = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.SecureSingleTlsa, "TLSA", "+dnssec");

        Assert.Equal("NOERROR", answer.Status);
        Assert.True(answer.IsAuthenticData, answer.Output);
        var tlsa = Assert.Single(answer.Of("TLSA"));
        Assert.Equal("3 1 1 " + StandardDaneZones.SingleTlsaData, Squeeze(tlsa.Data));
        Assert.Single(answer.Of("RRSIG"));
    }

    [Fact]
    public async Task Multiple_tlsa_records_come_back_as_one_secure_rrset()
    {
        var answer = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.SecureMultipleTlsa, "TLSA");

        Assert.True(answer.IsAuthenticData, answer.Output);
        Assert.Equal(
            StandardDaneZones.MultipleTlsaRecords.Order(StringComparer.Ordinal),
            answer.Of("TLSA").Select(r => Squeeze(r.Data)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Insecure_tlsa_has_data_but_no_ad()
    {
        var answer = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.InsecureTlsa, "TLSA", "+dnssec");

        Assert.Equal("NOERROR", answer.Status);
        Assert.False(answer.IsAuthenticData, answer.Output);
        Assert.Equal("3 1 1 " + StandardDaneZones.Digest("mx1.unsigned.test"), Squeeze(Assert.Single(answer.Of("TLSA")).Data));
        Assert.Empty(answer.Of("RRSIG"));
    }

    [Fact]
    public async Task Bogus_tlsa_is_servfail_and_with_cd_returns_the_data()
    {
        var plain = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.BogusTlsa, "TLSA", "+dnssec");
        var checkingDisabled = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.BogusTlsa, "TLSA", "+dnssec", "+cd");

        Assert.Equal("SERVFAIL", plain.Status);
        Assert.Empty(plain.Answer);
        Assert.Equal("NOERROR", checkingDisabled.Status);
        Assert.False(checkingDisabled.IsAuthenticData);
        Assert.Equal("3 1 1 " + StandardDaneZones.Digest("mx1.bogus.test"), Squeeze(Assert.Single(checkingDisabled.Of("TLSA")).Data));
        Assert.Contains("bogus", environment.ResolverLog, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(StandardDaneZones.SecureNxDomainTlsa, "NXDOMAIN", true, "NSEC")]
    [InlineData(StandardDaneZones.SecureNoDataTlsa, "NOERROR", true, "NSEC")]
    [InlineData(StandardDaneZones.Nsec3NxDomainTlsa, "NXDOMAIN", true, "NSEC3")]
    [InlineData(StandardDaneZones.Nsec3NoDataTlsa, "NOERROR", true, "NSEC3")]
    [InlineData(StandardDaneZones.InsecureNxDomainTlsa, "NXDOMAIN", false, null)]
    [InlineData(StandardDaneZones.InsecureNoDataTlsa, "NOERROR", false, null)]
    public async Task Denial_of_existence_is_secure_only_in_signed_zones(string name, string status, bool secure, string? proofType)
    {
        var answer = await Dig.QueryAsync(environment.ResolverEndPoint, name, "TLSA", "+dnssec");

        Assert.Equal(status, answer.Status);
        Assert.Equal(secure, answer.IsAuthenticData);
        Assert.Empty(answer.Answer);
        Assert.Matches(@"\sIN\s+SOA\s", answer.Output);
        if (proofType is not null)
        {
            Assert.Matches($@"\sIN\s+{proofType}\s", answer.Output);
        }
        else
        {
            Assert.DoesNotMatch(@"\sIN\s+NSEC3?\s", answer.Output);
        }
    }

    [Fact]
    public async Task Big_rrset_is_truncated_over_udp_with_1232_bytes_and_complete_over_tcp()
    {
        var udp = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.SecureBigTlsa, "TLSA", "+dnssec", "+notcp", "+ignore", "+bufsize=1232");
        var tcp = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.SecureBigTlsa, "TLSA", "+dnssec", "+tcp");

        Assert.True(udp.IsTruncated, udp.Output);
        Assert.True(tcp.IsAuthenticData, tcp.Output);
        Assert.False(tcp.IsTruncated);
        Assert.Equal(StandardDaneZones.BigTlsaCount, tcp.Of("TLSA").Count);
        Assert.Equal(StandardDaneZones.BigTlsaCount, tcp.Of("TLSA").Select(r => r.Data).Distinct().Count());
    }

    [Fact]
    public async Task DnsClient_sees_the_truncation_without_tcp_fallback_and_the_full_rrset_with_it()
    {
        var udpOnly = new LookupClient(new LookupClientOptions(environment.ResolverEndPoint)
        {
            UseCache = false,
            RequestDnsSecRecords = true,
            UseTcpFallback = false,
            ExtendedDnsBufferSize = 1232,
            Timeout = TimeSpan.FromSeconds(3),
            Retries = 0,
        });

        // DnsClient refuses a truncated answer rather than returning part of it.
        var truncated = await Assert.ThrowsAsync<DnsResponseException>(() => udpOnly.QueryAsync(StandardDaneZones.SecureBigTlsa, QueryType.TLSA));
        var complete = await Client().QueryAsync(StandardDaneZones.SecureBigTlsa, QueryType.TLSA);

        Assert.Contains("truncated", truncated.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(StandardDaneZones.BigTlsaCount, complete.Answers.TlsaRecords().Count());
        Assert.True(complete.Header.IsAuthenticData);
    }

    [Fact]
    public async Task Ttls_are_reported_as_written_also_from_the_cache()
    {
        var short1 = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.SecureSingleTlsa, "TLSA");
        var long1 = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.SecureMultipleTlsa, "TLSA");
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var short2 = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.SecureSingleTlsa, "TLSA");

        Assert.Equal(300, Assert.Single(short1.Of("TLSA")).Ttl);
        Assert.All(long1.Of("TLSA"), r => Assert.Equal(3600, r.Ttl));
        Assert.Equal(300, Assert.Single(short2.Of("TLSA")).Ttl);
    }

    [Fact]
    public async Task Authoritative_servers_of_the_stale_zone_disagree()
    {
        var addresses = environment.AuthoritativeAddressesOf(StandardDaneZones.StaleZone);
        Assert.Equal([environment.PrimaryServerAddress, environment.SecondaryServerAddress], addresses);
        var primary = new IPEndPoint(addresses[0], 53);
        var secondary = new IPEndPoint(addresses[1], 53);

        var primarySoa = await Dig.QueryAsync(primary, StandardDaneZones.StaleZone, "SOA", "+norec");
        var secondarySoa = await Dig.QueryAsync(secondary, StandardDaneZones.StaleZone, "SOA", "+norec");
        var primaryTlsa = await Dig.QueryAsync(primary, StandardDaneZones.StaleTlsa, "TLSA", "+norec");
        var secondaryTlsa = await Dig.QueryAsync(secondary, StandardDaneZones.StaleTlsa, "TLSA", "+norec");
        var nameServers = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.StaleZone, "NS");

        Assert.True(primarySoa.Flags.Contains("aa") && secondarySoa.Flags.Contains("aa"));
        Assert.Equal(TestZone.PrimarySerial.ToString(CultureInfo.InvariantCulture), Assert.Single(primarySoa.Of("SOA")).Data.Split(' ')[2]);
        Assert.Equal(TestZone.StaleSerial.ToString(CultureInfo.InvariantCulture), Assert.Single(secondarySoa.Of("SOA")).Data.Split(' ')[2]);
        Assert.Equal("3 1 1 " + StandardDaneZones.StaleZoneCurrentTlsaData, Squeeze(Assert.Single(primaryTlsa.Of("TLSA")).Data));
        Assert.Equal("3 1 1 " + StandardDaneZones.StaleZoneOldTlsaData, Squeeze(Assert.Single(secondaryTlsa.Of("TLSA")).Data));
        Assert.Equal(["ns1.stale.test.", "ns2.stale.test."], nameServers.Of("NS").Select(r => r.Data).Order(StringComparer.Ordinal));
        Assert.True(nameServers.IsAuthenticData);
    }

    [Fact]
    public async Task Expiring_zone_signatures_end_within_two_days_others_in_weeks()
    {
        var expiring = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.ExpiringTlsa, "TLSA", "+dnssec");
        var normal = await Dig.QueryAsync(environment.ResolverEndPoint, StandardDaneZones.SecureSingleTlsa, "TLSA", "+dnssec");

        static DateTime Expiry(DigResult answer) => DateTime.ParseExact(
            Assert.Single(answer.Of("RRSIG")).Data.Split(' ')[4], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        Assert.True(expiring.IsAuthenticData);
        var now = DateTime.UtcNow;
        Assert.InRange(Expiry(expiring), now.AddDays(1.9), now.AddDays(2));
        Assert.True(Expiry(normal) > now.AddDays(20));
    }

    [Fact]
    public async Task Root_and_zones_are_served_on_port_53_of_their_addresses()
    {
        var root = await Dig.QueryAsync(new IPEndPoint(environment.RootServerAddress, 53), ".", "SOA", "+norec");
        var referral = await Dig.QueryAsync(new IPEndPoint(environment.RootServerAddress, 53), StandardDaneZones.SignedZone, "DS", "+norec");
        var unsignedReferral = await Dig.QueryAsync(new IPEndPoint(environment.RootServerAddress, 53), StandardDaneZones.UnsignedZone, "DS", "+norec", "+dnssec");
        var zone = await Dig.QueryAsync(new IPEndPoint(environment.PrimaryServerAddress, 53), StandardDaneZones.SignedZone, "SOA", "+norec");

        Assert.Contains("aa", root.Flags);
        Assert.Single(referral.Of("DS"));
        Assert.Empty(unsignedReferral.Of("DS"));
        Assert.Equal("NOERROR", unsignedReferral.Status);
        Assert.Contains("aa", zone.Flags);
    }

    [Fact]
    public async Task Names_outside_the_tree_end_at_the_private_root()
    {
        // The real root is never asked: the private root proves .com does not exist.
        var answer = await Dig.QueryAsync(environment.ResolverEndPoint, "www.example.com", "A", "+dnssec");

        Assert.Equal("NXDOMAIN", answer.Status);
        Assert.True(answer.IsAuthenticData, answer.Output);
        Assert.Matches(@"\.\s+\d+\s+IN\s+SOA\s+a\.root-servers\.net\.", answer.Output);
    }

    private LookupClient Client() => new(new LookupClientOptions(environment.ResolverEndPoint)
    {
        UseCache = false,
        RequestDnsSecRecords = true,
        UseTcpFallback = true,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
        ThrowDnsErrors = false,
        Timeout = TimeSpan.FromSeconds(3),
        Retries = 0,
    });

    private static string Squeeze(string data)
    {
        // dig splits long hex in groups; TLSA data compare as "u s m HEX".
        var fields = data.Split(' ', 4);
        return fields.Length < 4 ? data : $"{fields[0]} {fields[1]} {fields[2]} {fields[3].Replace(" ", string.Empty, StringComparison.Ordinal)}";
    }
}

/// <summary>Life cycle of environments of their own: parallel starts, clean stop, failures that explain themselves.</summary>
public sealed class DnsTestEnvironmentLifecycleTests
{
    private readonly ITestOutputHelper output;

    public DnsTestEnvironmentLifecycleTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    private static DnsTestSetup SmallSetup() => new()
    {
        Zones =
        {
            new TestZone("small.test", ZoneSecurity.Signed) { Records = { "_25._tcp.mx 300 IN TLSA 3 1 1 " + StandardDaneZones.Digest("small") } },
        },
    };

    [Fact]
    public async Task Two_environments_run_side_by_side_and_dispose_stops_their_servers()
    {
        var first = DnsTestEnvironment.StartAsync(SmallSetup());
        var second = DnsTestEnvironment.StartAsync(SmallSetup());
        await using var a = await first;
        var b = await second;
        var folder = b.WorkingFolder;
        var pids = Directory.GetFiles(folder, "*.pid", SearchOption.AllDirectories).Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture)).ToList();

        Assert.NotEqual(a.ResolverEndPoint.Address, b.ResolverEndPoint.Address);
        Assert.Empty(a.AuthoritativeAddresses.Intersect(b.AuthoritativeAddresses));
        foreach (var environment in new[] { a, b })
        {
            var answer = await Dig.QueryAsync(environment.ResolverEndPoint, "_25._tcp.mx.small.test", "TLSA");
            Assert.True(answer.IsAuthenticData, answer.Output);
        }

        Assert.Equal(4, pids.Count); // knot-root, knot-primary, unbound, the non-validating unbound (no secondary here)
        await b.DisposeAsync();
        await b.DisposeAsync();

        Assert.False(Directory.Exists(folder));
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} still runs"));
        var stillServing = await Dig.QueryAsync(a.ResolverEndPoint, "_25._tcp.mx.small.test", "TLSA");
        Assert.True(stillServing.IsAuthenticData);
    }

    [Fact]
    public async Task A_zone_knot_cannot_load_fails_the_start_with_knots_log()
    {
        var setup = SmallSetup();
        setup.Zones.Add(new TestZone("broken.test", ZoneSecurity.Unsigned) { Records = { "host 300 IN A not-an-address" } });
        var stopwatch = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<FixtureException>(() => DnsTestEnvironment.StartAsync(setup));
        output.WriteLine($"{stopwatch.ElapsedMilliseconds} ms: {failure.Message}");

        Assert.Contains("knot-primary failed to start", failure.Message, StringComparison.Ordinal);
        Assert.Contains("broken.test", failure.Message, StringComparison.Ordinal);
        Assert.Contains("knot.log", failure.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"failing took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_record_the_signer_rejects_fails_the_start_with_its_message()
    {
        var setup = SmallSetup();
        setup["small.test"].Records.Add("bad 300 IN TLSA 3 1 1 NOTHEX");

        var failure = await Assert.ThrowsAsync<FixtureException>(() => DnsTestEnvironment.StartAsync(setup));
        output.WriteLine(failure.Message);

        Assert.Contains("dnssec-signzone", failure.Message, StringComparison.Ordinal);
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
}

public sealed class DnsTestEnvironmentSilentServerTests
{
    [Fact]
    public async Task Udp_queries_time_out_and_tcp_connections_stay_silent()
    {
        using var server = SilentDnsServer.Start();
        var client = new LookupClient(new LookupClientOptions(server.EndPoint)
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(300),
            Retries = 0,
            UseTcpFallback = false,
        });

        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<DnsResponseException>(() => client.QueryAsync("example.test", QueryType.A));
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.EndPoint);
        var stream = tcp.GetStream();
        await stream.WriteAsync(new byte[] { 0, 2, 0, 0 });
        var read = stream.ReadAsync(new byte[2]).AsTask();
        var first = await Task.WhenAny(read, Task.Delay(300));

        Assert.NotSame(read, first);
        Assert.True(server.UdpQueries >= 1);
        Assert.Equal(1, server.TcpConnections);
    }
}
