using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Certificates;
using DanePS.Engine.Matching;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.InProcess;
using DanePS.Tests.Fixtures.Pki;
using DanePS.Tests.Matching;
using Xunit;

namespace DanePS.Tests.Module;

/// <summary>Files for the cmdlet tests: a chain, keys and junk, written once to a temp folder.</summary>
public sealed class CmdletFiles : IDisposable
{
    public CmdletFiles()
    {
        Pki = new MatcherPki();
        Directory = Path.Combine(Path.GetTempPath(), "daneps-cmdlets-" + Guid.NewGuid().ToString("N"));
        LeafPath = TestPki.WriteChain(Directory, "leaf.pem", Pki.Leaf);
        ChainPath = TestPki.WriteChain(Directory, "chain.pem", Pki.Leaf, Pki.Intermediate);
        LeafKeyPath = TestPki.WriteKey(Directory, "leaf.key", Pki.Leaf);
        RsaKeyPath = TestPki.WriteKey(Directory, "rsa.key", Pki.RsaLeaf);
        PublicKeyPath = Path.Combine(Directory, "next.pub");
        File.WriteAllText(PublicKeyPath, TestPki.PublicKeyPem(Pki.RsaLeaf));
        DerPath = Path.Combine(Directory, "leaf.der");
        File.WriteAllBytes(DerPath, Pki.Leaf.Certificate.RawData);
        JunkPath = Path.Combine(Directory, "junk.txt");
        File.WriteAllText(JunkPath, "this is not a certificate\n");
    }

    public MatcherPki Pki { get; }
    public string Directory { get; }
    public string LeafPath { get; }
    public string ChainPath { get; }
    public string LeafKeyPath { get; }
    public string RsaKeyPath { get; }
    public string PublicKeyPath { get; }
    public string DerPath { get; }
    public string JunkPath { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, true);
}

public class CmdletTests : IClassFixture<CmdletFiles>, IDisposable
{
    private readonly CmdletFiles _files;
    private readonly ModuleSession _session = new();

    public CmdletTests(CmdletFiles files) => _files = files;

    public void Dispose() => _session.Dispose();

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] vars) => vars.ToDictionary(v => v.Name, v => v.Value);

    private static string OpenSslSpkiSha256(string certPath)
    {
        var psi = new ProcessStartInfo("bash", new[] { "-c", $"openssl x509 -in '{certPath}' -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r" })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return output.Split(' ')[0].Trim().ToUpperInvariant();
    }

    [Fact]
    public void GetServerSpkiHash_of_a_file_equals_what_openssl_prints()
    {
        var details = _session.Run<CertificateDetails>("Get-ServerSpkiHash -Path $p", Vars(("p", _files.LeafPath))).Single();
        var expected = OpenSslSpkiSha256(_files.LeafPath);
        Assert.Equal(64, expected.Length);
        Assert.Equal(expected, details.SpkiSha256);
        Assert.Equal("3 1 1 " + expected, details.SuggestedRecord);
    }

    [Fact]
    public void GetServerSpkiHash_of_a_bundle_gives_every_certificate_with_its_depth_and_record()
    {
        var details = _session.Run<CertificateDetails>("Get-ServerSpkiHash $p", Vars(("p", _files.ChainPath)));
        Assert.Equal(new[] { 0, 1 }, details.Select(d => d.Depth));
        Assert.StartsWith("3 1 1 ", details[0].SuggestedRecord, StringComparison.Ordinal);
        Assert.StartsWith("2 1 1 ", details[1].SuggestedRecord, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(_files.Pki.Intermediate.SpkiDer)), details[1].SpkiSha256);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(_files.Pki.Leaf.SpkiDer)), details[0].SpkiSha512);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(_files.Pki.Leaf.Certificate.RawData)), details[0].CertificateSha256);
        Assert.Equal("EC P-256", details[0].PublicKey);
        Assert.Equal("RSA 2048", _session.Run<CertificateDetails>("Get-ServerSpkiHash -Certificate $c", Vars(("c", _files.Pki.Root.Certificate))).Single().PublicKey);
    }

    [Fact]
    public void GetServerSpkiHash_reads_DER_and_binds_FullName_by_property()
    {
        var details = _session.Run<CertificateDetails>("[pscustomobject]@{ FullName = $p } | Get-ServerSpkiHash", Vars(("p", _files.DerPath))).Single();
        Assert.Equal(OpenSslSpkiSha256(_files.LeafPath), details.SpkiSha256);
    }

    [Fact]
    public void GetServerSpkiHash_missing_and_bad_files_are_errors_and_the_run_goes_on()
    {
        var missing = Path.Combine(_files.Directory, "nope.pem");
        var details = _session.Run<CertificateDetails>("Get-ServerSpkiHash -Path $a, $b, $c", Vars(("a", missing), ("b", _files.JunkPath), ("c", _files.LeafPath)));
        Assert.Single(details);
        Assert.Equal(2, _session.LastErrors.Count);
        Assert.Equal("GetServerSpkiHashFileNotFound,DanePS.Commands.GetServerSpkiHashCommand", _session.LastErrors[0].FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, _session.LastErrors[0].CategoryInfo.Category);
        Assert.Equal("GetServerSpkiHashInvalidCertificate,DanePS.Commands.GetServerSpkiHashCommand", _session.LastErrors[1].FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, _session.LastErrors[1].CategoryInfo.Category);
    }

    [Fact]
    public void ErrorAction_Stop_makes_the_error_terminating()
    {
        var missing = Path.Combine(_files.Directory, "nope.pem");
        var ex = Assert.ThrowsAny<RuntimeException>(() => _session.Run("Get-ServerSpkiHash -Path $a -ErrorAction Stop; 'not reached'", Vars(("a", missing))));
        Assert.Equal("GetServerSpkiHashFileNotFound,DanePS.Commands.GetServerSpkiHashCommand", ex.ErrorRecord.FullyQualifiedErrorId);
    }

    [Fact]
    public void ConvertTo_TlsaRecord_parses_piped_text_and_reports_bad_lines_without_stopping()
    {
        var hash = new string('A', 64);
        var records = _session.Run<TlsaRecord>("'3 1 1 " + hash.Substring(0, 10) + " " + hash.Substring(10) + "', 'garbage', 'DANE-TA SPKI SHA2-256 " + hash + "' | ConvertTo-TlsaRecord");
        Assert.Equal(2, records.Count);
        Assert.Equal("3 1 1 " + hash, records[0].ToString());
        Assert.Equal(TlsaUsage.DaneTa, records[1].Usage);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("ConvertToTlsaRecordInvalidFormat,DanePS.Commands.ConvertToTlsaRecordCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("garbage", error.TargetObject);
    }

    [Fact]
    public void NewTlsaRecord_from_file_public_key_private_key_and_certificate_agree()
    {
        var fromFile = _session.Run<TlsaRecord>("New-TlsaRecord -Path $p", Vars(("p", _files.LeafPath))).Single();
        var fromPrivateKey = _session.Run<TlsaRecord>("New-TlsaRecord -PublicKeyPath $p", Vars(("p", _files.LeafKeyPath))).Single();
        var fromObject = _session.Run<TlsaRecord>("$c | New-TlsaRecord", Vars(("c", _files.Pki.Leaf.Certificate))).Single();
        Assert.Equal("3 1 1 " + OpenSslSpkiSha256(_files.LeafPath), fromFile.ToString());
        Assert.Equal(fromFile, fromPrivateKey);
        Assert.Equal(fromFile, fromObject);

        var next = _session.Run<TlsaRecord>("New-TlsaRecord -PublicKeyPath $p", Vars(("p", _files.PublicKeyPath))).Single();
        var nextFromKey = _session.Run<TlsaRecord>("New-TlsaRecord -PublicKeyPath $p", Vars(("p", _files.RsaKeyPath))).Single();
        Assert.Equal(DaneMatcherTests.Record(3, 1, 1, _files.Pki.RsaLeaf), next);
        Assert.Equal(next, nextFromKey);
    }

    [Theory]
    [InlineData("DaneTa", "Cert", "Sha512", 2, 0, 2)]
    [InlineData("3", "0", "0", 3, 0, 0)]
    [InlineData("PkixEe", "Spki", "Sha256", 1, 1, 1)]
    public void NewTlsaRecord_honours_usage_selector_and_matching_type(string usage, string selector, string matching, int u, int s, int m)
    {
        var record = _session.Run<TlsaRecord>($"New-TlsaRecord -Path $p -Depth 1 -Usage {usage} -Selector {selector} -MatchingType {matching}", Vars(("p", _files.ChainPath))).Single();
        Assert.Equal(DaneMatcherTests.Record(u, s, m, _files.Pki.Intermediate), record);
    }

    [Fact]
    public void NewTlsaRecord_with_a_host_name_gives_the_owner_name_and_zone_line()
    {
        var record = _session.Run<DnsTlsaRecord>("New-TlsaRecord -Path $p -HostName mx.example.test -Port 25", Vars(("p", _files.LeafPath))).Single();
        Assert.Equal("_25._tcp.mx.example.test.", record.OwnerName);
        Assert.Equal("_25._tcp.mx.example.test. IN TLSA 3 1 1 " + OpenSslSpkiSha256(_files.LeafPath), record.ZoneFileLine);
    }

    [Fact]
    public void NewTlsaRecord_refuses_a_certificate_selector_for_a_bare_key_and_a_depth_past_the_bundle()
    {
        Assert.Empty(_session.Run("New-TlsaRecord -PublicKeyPath $p -Selector Cert", Vars(("p", _files.PublicKeyPath))));
        Assert.Equal("NewTlsaRecordSelectorNeedsCertificate,DanePS.Commands.NewTlsaRecordCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
        Assert.Empty(_session.Run("New-TlsaRecord -Path $p -Depth 5", Vars(("p", _files.ChainPath))));
        Assert.Equal("NewTlsaRecordDepthOutOfRange,DanePS.Commands.NewTlsaRecordCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
        Assert.Empty(_session.Run("New-TlsaRecord -PublicKeyPath $p", Vars(("p", _files.JunkPath))));
        Assert.Equal("NewTlsaRecordInvalidKey,DanePS.Commands.NewTlsaRecordCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void NewTlsaRecord_rejects_an_unknown_usage_at_binding()
    {
        Assert.Empty(_session.Run("New-TlsaRecord -Path $p -Usage 7", Vars(("p", _files.LeafPath))));
        var error = Assert.Single(_session.LastErrors);
        Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal); // the message lists the RFC 7218 mnemonics
        Assert.IsType<ParameterBindingException>(error.Exception, exactMatch: false);
    }

    [Fact]
    public void TestTlsaRecord_takes_piped_record_text_and_reports_the_match()
    {
        var ee = DaneMatcherTests.Record(3, 1, 1, _files.Pki.Leaf).ToString();
        var stale = DaneMatcherTests.Record(3, 1, 1, _files.Pki.RsaLeaf).ToString();
        var result = _session.Run<DaneMatchResult>("$a, $b | Test-TlsaRecord -Path $p -HostName mx.example.test", Vars(("a", stale), ("b", ee), ("p", _files.ChainPath))).Single();
        Assert.Equal(DaneMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(0, result.MatchedDepth);
        Assert.Equal(ee, result.MatchedRecord);
        Assert.Equal(TlsaRecordOutcome.NoMatch, result.Records[0].Outcome);
    }

    [Fact]
    public void TestTlsaRecord_chains_from_GetServerSpkiHash_by_property_name()
    {
        var ta = DaneMatcherTests.Record(2, 1, 1, _files.Pki.Intermediate).ToString();
        var result = _session.Run<DaneMatchResult>("Get-ServerSpkiHash -Path $p | Test-TlsaRecord -TlsaRecord $r -HostName mx.example.test", Vars(("p", _files.ChainPath), ("r", ta))).Single();
        Assert.Equal(DaneMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(1, result.MatchedDepth);

        var wrongName = _session.Run<DaneMatchResult>("Get-ServerSpkiHash -Path $p | Test-TlsaRecord -TlsaRecord $r -HostName other.test", Vars(("p", _files.ChainPath), ("r", ta))).Single();
        Assert.Equal(DaneMatchOutcome.NotAuthenticated, wrongName.Outcome);
        Assert.Equal(TlsaRecordOutcome.NameMismatch, wrongName.Records[0].Outcome);
    }

    [Fact]
    public void TestTlsaRecord_lists_each_record_once_when_certificates_are_piped()
    {
        var ee = DaneMatcherTests.Record(3, 1, 1, _files.Pki.Leaf).ToString();
        var ta = DaneMatcherTests.Record(2, 1, 1, _files.Pki.Intermediate).ToString();
        var result = _session.Run<DaneMatchResult>("Get-ServerSpkiHash -Path $p | Test-TlsaRecord -TlsaRecord $a, $b -HostName mx.example.test", Vars(("p", _files.ChainPath), ("a", ee), ("b", ta))).Single();
        Assert.Equal(2, result.Records.Count);
        Assert.True(result.IsAuthenticated);
    }

    [Fact]
    public void TestTlsaRecord_checks_pkix_usages_against_given_roots()
    {
        var pkix = DaneMatcherTests.Record(1, 1, 1, _files.Pki.Leaf).ToString();
        var rootPath = TestPki.WriteChain(_files.Directory, "root-" + Guid.NewGuid().ToString("N") + ".pem", _files.Pki.Root);
        var ok = _session.Run<DaneMatchResult>("Test-TlsaRecord -Path $p -TlsaRecord $r -HostName mx.example.test -Profile Generic -TrustedRootPath $root -NoSystemTrustStore",
            Vars(("p", _files.ChainPath), ("r", pkix), ("root", rootPath))).Single();
        Assert.True(ok.IsAuthenticated);
        var smtp = _session.Run<DaneMatchResult>("Test-TlsaRecord -Path $p -TlsaRecord $r -HostName mx.example.test -TrustedRootPath $root",
            Vars(("p", _files.ChainPath), ("r", pkix), ("root", rootPath))).Single();
        Assert.Equal(DaneMatchOutcome.NoUsableRecords, smtp.Outcome);
    }

    [Fact]
    public void TestTlsaRecord_rejects_text_that_is_not_a_record_at_binding()
    {
        Assert.Empty(_session.Run("Test-TlsaRecord -Path $p -TlsaRecord 'nonsense'", Vars(("p", _files.ChainPath))));
        var error = Assert.Single(_session.LastErrors);
        Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("not a TLSA record", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetServerSpkiHash_reads_the_chain_a_live_server_sends_implicit_and_smtp_starttls()
    {
        using var implicitTls = new InProcessTlsServer(_files.Pki.Leaf, new[] { _files.Pki.Intermediate }, smtpStartTls: false);
        using var smtp = new InProcessTlsServer(_files.Pki.RsaLeaf, new[] { _files.Pki.Intermediate }, smtpStartTls: true);
        var viaTls = _session.Run<CertificateDetails>("Get-ServerSpkiHash -HostName mx.example.test -Address 127.0.0.1 -Port $port", Vars(("port", implicitTls.Port)));
        Assert.Empty(_session.LastErrors);
        Assert.Equal(2, viaTls.Count);
        Assert.Equal(DaneMatcherTests.Record(3, 1, 1, _files.Pki.Leaf).ToString(), viaTls[0].SuggestedRecord);
        Assert.Equal(DaneMatcherTests.Record(2, 1, 1, _files.Pki.Intermediate).ToString(), viaTls[1].SuggestedRecord);

        var viaSmtp = _session.Run<CertificateDetails>("Get-ServerSpkiHash -HostName 127.0.0.1 -Port $port -StartTls Smtp", Vars(("port", smtp.Port)));
        Assert.Empty(_session.LastErrors);
        Assert.Equal("RSA 2048", viaSmtp[0].PublicKey);
        Assert.Equal(DaneMatcherTests.Record(3, 1, 1, _files.Pki.RsaLeaf).ToString(), viaSmtp[0].SuggestedRecord);
    }

    [Fact]
    public void GetServerSpkiHash_a_server_that_is_not_listening_is_an_error_and_the_next_target_is_still_read()
    {
        using var good = new InProcessTlsServer(_files.Pki.Leaf, Array.Empty<TestCertificate>(), smtpStartTls: false);
        var closedPort = FreePort();
        var details = _session.Run<CertificateDetails>(
            "@([pscustomobject]@{ HostName = '127.0.0.1'; Port = $closed }, [pscustomobject]@{ HostName = '127.0.0.1'; Port = $open }) | Get-ServerSpkiHash -StartTls ImplicitTls -TimeoutSec 5",
            Vars(("closed", closedPort), ("open", good.Port)));
        Assert.Single(details);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("GetServerSpkiHashConnectionRefused,DanePS.Commands.GetServerSpkiHashCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }

    [Fact]
    public void Format_views_render_records_and_certificates()
    {
        _session.ClearHostOutput();
        _session.Run("Get-ServerSpkiHash -Path $p | Out-Default; New-TlsaRecord -Path $p | Out-Default", Vars(("p", _files.LeafPath)));
        var text = _session.HostOutput;
        Assert.Contains("SuggestedRecord   : 3 1 1 ", text, StringComparison.Ordinal);
        Assert.Contains("SpkiSha256", text, StringComparison.Ordinal);
        Assert.Contains("DANE-EE SPKI SHA2-256", text, StringComparison.Ordinal);
        Assert.Contains("Mnemonic", text, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
