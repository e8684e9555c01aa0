using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using DanePS.Tests.Fixtures.Dns;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Fixtures.Pki;
using Xunit;

namespace DanePS.Tests.Fixtures;

/// <summary>
/// Real servers (Postfix, Dovecot, nginx, and hostile in-process ones) behind a signed test zone whose TLSA
/// records are made from the servers' real certificates: started once for the endpoint and mail-domain tests.
/// </summary>
public sealed class EndpointWorld : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _servers = new();

    public TestCertificate Root { get; } = TestPki.CreateRoot("DanePS Endpoint Root", TestKeyType.Rsa);
    public TestCertificate Intermediate { get; private set; } = null!;
    public TestCertificate LeafEcdsa { get; private set; } = null!;
    public TestCertificate LeafRsa { get; private set; } = null!;
    public TestCertificate StaleLeaf { get; private set; } = null!;
    public TestCertificate NextKey { get; private set; } = null!;

    public PostfixTestServer Main { get; private set; } = null!;
    public PostfixTestServer NoIntermediate { get; private set; } = null!;
    public PostfixTestServer Dual { get; private set; } = null!;
    public PostfixTestServer StaleBackend { get; private set; } = null!;
    public DovecotTestServer Dovecot { get; private set; } = null!;
    public NginxTestServer Nginx { get; private set; } = null!;

    /// <summary>HTTPS on the main mail host's own address, for the hourly job's port 443 (junk, onlyjunk, rollover, single).</summary>
    public NginxTestServer MailHostWeb { get; private set; } = null!;

    /// <summary>SMTP submission with STARTTLS and AUTH, delivering to a Maildir: where alert e-mail goes.</summary>
    public SubmissionTestServer Submission { get; private set; } = null!;

    /// <summary>The TLS-RPT mailbox (tls-reports@reports.test, IMAPS and IMAP STARTTLS with a login), holding the report mails of <see cref="Mail.TlsReportSamples.MailboxMails"/>, delivered by Postfix.</summary>
    public ReportMailboxTestServer ReportMailbox { get; private set; } = null!;
    public Dictionary<HostileBehavior, HostileServer> Hostile { get; } = new();
    public IPAddress RefusedAddress { get; private set; } = null!;
    public DnsTestEnvironment Dns { get; private set; } = null!;

    /// <summary>How many stale records many.dane.test publishes beside the one that matches.</summary>
    public const int ManyStaleRecords = 39;

    /// <summary>An authoritative server of dane.test asked as a resolver: it answers, and never validates.</summary>
    public string NonValidatingResolver => Dns.AuthoritativeAddressesOf("dane.test")[0].ToString();

    public string Resolver => $"{Dns.ResolverEndPoint.Address}:{Dns.ResolverEndPoint.Port}";

    /// <summary>A recursive Unbound that does not validate (iterator only), for DanePS's own validation: "address:port".</summary>
    public string NonValidatingRecursiveResolver => $"{Dns.NonValidatingResolverEndPoint.Address}:{Dns.NonValidatingResolverEndPoint.Port}";

    /// <summary>The fixture root's trust anchor (its KSK's DS) in presentation format, for local validation.</summary>
    public string RootTrustAnchor => Dns.TrustAnchor;

    public IPEndPoint WebEndpoint => Nginx.Endpoints.First(e => e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);

    public IPEndPoint Ipv6Endpoint => Nginx.Endpoints.First(e => e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);

    /// <summary>PowerShell variables for a script run against this world: $resolver, and <paramref name="extra"/>.</summary>
    public Dictionary<string, object?> Variables(params (string Name, object? Value)[] extra)
    {
        var variables = new Dictionary<string, object?> { ["resolver"] = Resolver };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return variables;
    }

    public static string Hex(byte[] data) => Convert.ToHexString(data);

    public static string Ee311(TestCertificate c) => "3 1 1 " + Hex(SHA256.HashData(c.SpkiDer));

    public async Task InitializeAsync()
    {
        string[] names = { "*.dane.test", "*.plain.test", "*.broken.test", "dane.test" };
        Intermediate = TestPki.CreateIntermediate(Root, "DanePS Endpoint Intermediate", TestKeyType.Ecdsa);
        LeafEcdsa = TestPki.CreateLeaf(Intermediate, names, TestKeyType.Ecdsa);
        LeafRsa = TestPki.CreateLeaf(Intermediate, names, TestKeyType.Rsa);
        StaleLeaf = TestPki.CreateLeaf(Intermediate, names, TestKeyType.Ecdsa);
        NextKey = TestPki.CreateLeaf(null, names, TestKeyType.Ecdsa);

        var ecdsaChain = TlsIdentity.From(LeafEcdsa, Root, Intermediate);
        Main = Track(await PostfixTestServer.StartAsync(ecdsaChain));
        NoIntermediate = Track(await PostfixTestServer.StartAsync(TlsIdentity.From(LeafEcdsa, Root)));
        Dual = Track(await PostfixTestServer.StartAsync(ecdsaChain, TlsIdentity.From(LeafRsa, Root, Intermediate)));
        StaleBackend = Track(await PostfixTestServer.StartAsync(TlsIdentity.From(StaleLeaf, Root, Intermediate)));
        Dovecot = Track(await DovecotTestServer.StartAsync(ecdsaChain));
        Nginx = Track(await NginxTestServer.StartAsync(ecdsaChain, 1, 443, includeIPv6: true));
        MailHostWeb = Track(await NginxTestServer.StartAsync(new[] { new NginxServerBlock(new[] { new IPEndPoint(Main.Endpoint.Address, 443) }, ecdsaChain) }));
        Submission = Track(await SubmissionTestServer.StartAsync(ecdsaChain));
        ReportMailbox = Track(await ReportMailboxTestServer.StartAsync(ecdsaChain));
        await ReportMailbox.DeliverAsync(Mail.TlsReportSamples.MailboxMails(ReportMailboxTestServer.Address), TimeSpan.FromSeconds(30));
        foreach (var behavior in Enum.GetValues<HostileBehavior>())
        {
            Hostile[behavior] = Track(HostileServer.Start(behavior, TimeSpan.FromMinutes(5)));
        }

        RefusedAddress = LoopbackEndpoints.NextAddress();

        var a = Main.Endpoint.Address;
        var inter = Intermediate;
        var dane = new TestZone("dane.test", ZoneSecurity.Signed)
        {
            Records =
            {
                $"single A {a}", $"_25._tcp.single TLSA {Ee311(LeafEcdsa)}", $"_443._tcp.single TLSA {Ee311(LeafEcdsa)}",
                $"_443._tcp.junk TLSA {Ee311(LeafEcdsa)}", $"_443._tcp.junk TLSA {Ee311(StaleLeaf)}", $"_443._tcp.junk TLSA 3 0 1 {Hex(SHA256.HashData(StaleLeaf.Certificate.RawData))}",
                $"_443._tcp.onlyjunk TLSA {Ee311(StaleLeaf)}",
                $"_443._tcp.rollover TLSA {Ee311(LeafEcdsa)}", $"_443._tcp.rollover TLSA {Ee311(NextKey)}",
                $"junk A {a}", $"_25._tcp.junk TLSA {Ee311(LeafEcdsa)}", $"_25._tcp.junk TLSA {Ee311(StaleLeaf)}", $"_25._tcp.junk TLSA 3 0 1 {Hex(SHA256.HashData(StaleLeaf.Certificate.RawData))}",
                $"onlyjunk A {a}", $"_25._tcp.onlyjunk TLSA {Ee311(StaleLeaf)}",
                $"rollover A {a}", $"_25._tcp.rollover TLSA {Ee311(LeafEcdsa)}", $"_25._tcp.rollover TLSA {Ee311(NextKey)}",
                $"eeta A {a}", $"_25._tcp.eeta TLSA {Ee311(LeafEcdsa)}", $"_25._tcp.eeta TLSA 2 1 1 {Hex(SHA256.HashData(inter.SpkiDer))}",
                $"sameeeta A {a}", $"_25._tcp.sameeeta TLSA 3 0 1 {Hex(SHA256.HashData(LeafEcdsa.Certificate.RawData))}", $"_25._tcp.sameeeta TLSA 2 0 1 {Hex(SHA256.HashData(LeafEcdsa.Certificate.RawData))}",
                $"ta A {a}", $"_25._tcp.ta TLSA 2 1 1 {Hex(SHA256.HashData(inter.SpkiDer))}",
                $"tanochain A {NoIntermediate.Endpoint.Address}", $"_25._tcp.tanochain TLSA 2 1 1 {Hex(SHA256.HashData(inter.SpkiDer))}",
                $"tafull A {NoIntermediate.Endpoint.Address}", $"_25._tcp.tafull TLSA 2 0 0 {Hex(inter.Certificate.RawData)}",
                $"full A {a}", $"_25._tcp.full TLSA 3 0 0 {Hex(LeafEcdsa.Certificate.RawData)}",
                $"sha512 A {a}", $"_25._tcp.sha512 TLSA 3 1 2 {Hex(SHA512.HashData(LeafEcdsa.SpkiDer))}",
                $"dual A {Dual.Endpoint.Address}", $"_25._tcp.dual TLSA {Ee311(LeafEcdsa)}", $"_25._tcp.dual TLSA {Ee311(LeafRsa)}",
                $"dualstale A {Dual.Endpoint.Address}", $"_25._tcp.dualstale TLSA {Ee311(LeafRsa)}",
                $"dualold A {Dual.Endpoint.Address}", $"_25._tcp.dualold TLSA {Ee311(LeafRsa)}", $"_25._tcp.dualold TLSA {Ee311(StaleLeaf)}",
                $"roundrobin A {a}", $"roundrobin A {StaleBackend.Endpoint.Address}", $"_25._tcp.roundrobin TLSA {Ee311(LeafEcdsa)}",
                $"stalemx A {StaleBackend.Endpoint.Address}", $"_25._tcp.stalemx TLSA {Ee311(LeafEcdsa)}",
                $"refused A {RefusedAddress}", $"_25._tcp.refused TLSA {Ee311(LeafEcdsa)}",
                $"halfup A {a}", $"halfup A {RefusedAddress}", $"_25._tcp.halfup TLSA {Ee311(LeafEcdsa)}", $"_25._tcp.halfup TLSA {Ee311(StaleLeaf)}",
                "ghostalias CNAME nowhere.dane.test.",
                $"notlsa A {a}",
                $"many A {a}", $"_25._tcp.many TLSA {Ee311(LeafEcdsa)}", // and ManyStaleRecords stale ones, added below
                $"xn--bcher-kva A {a}", $"_25._tcp.xn--bcher-kva TLSA {Ee311(LeafEcdsa)}", // bücher.dane.test, for IDNA
                $"pkix A {a}", $"_25._tcp.pkix TLSA 1 1 1 {Hex(SHA256.HashData(LeafEcdsa.SpkiDer))}", $"_25._tcp.pkix TLSA {Ee311(LeafEcdsa)}",
                $"pkixonly A {a}", $"_25._tcp.pkixonly TLSA 1 1 1 {Hex(SHA256.HashData(LeafEcdsa.SpkiDer))}",
                $"web A {WebEndpoint.Address}", $"_{WebEndpoint.Port}._tcp.web TLSA {Ee311(LeafEcdsa)}",
                $"v6 AAAA ::1", $"_{Ipv6Endpoint.Port}._tcp.v6 TLSA {Ee311(LeafEcdsa)}",
                $"imap A {Dovecot.ImapEndpoint!.Address}", $"_{Dovecot.ImapEndpoint.Port}._tcp.imap TLSA {Ee311(LeafEcdsa)}", $"_{Dovecot.Pop3Endpoint!.Port}._tcp.imap TLSA {Ee311(LeafEcdsa)}",
            },
        };
        for (var i = 0; i < ManyStaleRecords; i++)
        {
            dane.Records.Add($"_25._tcp.many TLSA 3 1 1 {Hex(SHA256.HashData(Encoding.ASCII.GetBytes($"stale key {i}")))}");
        }

        foreach (var (behavior, server) in Hostile)
        {
            var name = behavior.ToString().ToLowerInvariant();
            dane.Records.Add($"{name} A {server.Endpoint.Address}");
            dane.Records.Add($"_{server.Endpoint.Port}._tcp.{name} TLSA {Ee311(LeafEcdsa)}");
        }

        var setup = new DnsTestSetup
        {
            Zones =
            {
                dane,
                new TestZone("goodmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 single.dane.test.", "@ MX 20 dual.dane.test.", "_smtp._tls TXT \"v=TLSRPTv1;\" \" rua=mailto:tls-reports@goodmail.test\"", "_smtp._tls TXT \"not a TLS-RPT record\"" } },
                new TestZone("mixedmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 single.dane.test.", "@ MX 20 stalemx.dane.test.", Rua("mixedmail.test") } },
                new TestZone("halfmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 single.dane.test.", "@ MX 20 notlsa.dane.test.", Rua("halfmail.test") } },
                new TestZone("ghostmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 single.dane.test.", "@ MX 20 ghost.dane.test.", Rua("ghostmail.test") } },
                new TestZone("downmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 halfup.dane.test.", Rua("downmail.test") } },
                new TestZone("junkmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 junk.dane.test.", "@ MX 20 dual.dane.test.", Rua("junkmail.test") } },
                // TLS-RPT (RFC 8460 §3): none, two records, and one without rua=, for Test-DaneMailDomain's TlsRptMissing.
                new TestZone("noreportmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 single.dane.test." } },
                new TestZone("tworeportsmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 single.dane.test.", Rua("tworeportsmail.test"), "_smtp._tls TXT \"v=TLSRPTv1; rua=https://reports.example/tlsrpt\"" } },
                new TestZone("badreportmail.test", ZoneSecurity.Signed) { Records = { "@ MX 10 single.dane.test.", "_smtp._tls TXT \"v=TLSRPTv1; ruf=mailto:tls@badreportmail.test\"" } },
                new TestZone("plain.test", ZoneSecurity.Unsigned) { Records = { $"mx A {a}", $"_25._tcp.mx TLSA {Ee311(LeafEcdsa)}", "@ MX 10 mx.plain.test." } },
                new TestZone("broken.test", ZoneSecurity.Bogus) { Records = { $"mx A {a}", $"_25._tcp.mx TLSA {Ee311(LeafEcdsa)}" } },
            },
        };
        Dns = await DnsTestEnvironment.StartAsync(setup);
    }

    public async Task DisposeAsync()
    {
        if (Dns is not null)
        {
            await Dns.DisposeAsync();
        }

        foreach (var s in _servers)
        {
            await s.DisposeAsync();
        }
    }

    /// <summary>A domain's TLS-RPT record (RFC 8460 §3), reports to tls-reports@ the domain.</summary>
    public static string Rua(string domain) => $"_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\"";

    private T Track<T>(T server)
        where T : IAsyncDisposable
    {
        _servers.Add(server);
        return server;
    }
}
