using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Dns;
using DanePS.Tests.Fixtures.InProcess;
using DanePS.Tests.Fixtures.Pki;
using Xunit;

namespace DanePS.Tests.Checking;

/// <summary>The platform-trust side check (PlatformTrusted) never waits on the network: no AIA issuer fetching, no CRL or OCSP.</summary>
public class PlatformTrustTests
{
    [Fact]
    public async Task The_platform_trust_check_fetches_nothing_over_the_network()
    {
        // Where the leaf says its issuer, CRL and OCSP responder are: a port that accepts connections and never answers.
        using var sink = SilentDnsServer.Start();
        var url = $"http://127.0.0.1:{sink.EndPoint.Port}";
        var root = TestPki.CreateRoot("DanePS AIA Root");
        var intermediate = TestPki.CreateIntermediate(root, "DanePS AIA Intermediate");
        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=aia.example.test", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("aia.example.test");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(new[] { url + "/ocsp" }, new[] { url + "/issuer.crt" }));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(new[] { url + "/issuer.crl" }));
        var signed = request.Create(intermediate.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa((ECDsa)intermediate.Key),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), new byte[] { 1, 2, 3, 4 });
        var leaf = new TestCertificate(X509CertificateLoader.LoadCertificate(signed.RawData), leafKey);

        // The server sends the leaf alone: a chain builder that fetches would go to the AIA address for the issuer.
        using var server = new InProcessTlsServer(leaf, Array.Empty<TestCertificate>(), smtpStartTls: false);
        var set = new TlsaRecordSet("aia.example.test", server.Port, "tcp")
        {
            Outcome = TlsaLookupOutcome.NotPublished,
            DnssecStatus = DnssecStatus.Secure,
            Addresses = new ReadableList<DnsAddress>(new[] { new DnsAddress(IPAddress.Loopback, 300, DnssecStatus.Secure) }),
        };
        using var dns = new DaneDnsReader(new DnsResolverOptions { Servers = { new IPEndPoint(IPAddress.Loopback, sink.EndPoint.Port) } });
        var checker = new DaneEndpointChecker(dns, new EndpointCheckOptions { ProbeEachKeyType = false });

        var clock = Stopwatch.StartNew();
        var result = (await checker.CheckAsync(set, CancellationToken.None)).Single();
        clock.Stop();

        Assert.NotEmpty(result.PresentedChain);
        Assert.False(result.PlatformTrusted);
        Assert.Equal(0, sink.TcpConnections);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }
}
