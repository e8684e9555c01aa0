using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Certificates;
using DanePS.Engine.Matching;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Checking;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Fixtures.Pki;
using DanePS.Tests.Matching;
using Xunit;

namespace DanePS.Tests.Module;

/// <summary>
/// Paths, host names and TLSA mnemonics given to the offline cmdlets: every bad item is its own non-terminating
/// error with a category, ErrorId and target, and the items after it are still processed.
/// </summary>
public class InputValidationTests : IClassFixture<CmdletFiles>, IDisposable
{
    private readonly CmdletFiles _files;
    private readonly ModuleSession _session = new();
    private readonly string _dir;

    public InputValidationTests(CmdletFiles files)
    {
        _files = files;
        _dir = Path.Combine(files.Directory, "case-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => _session.Dispose();

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] vars) => vars.ToDictionary(v => v.Name, v => v.Value);

    private static string Id(string errorId, string command) => $"{errorId},DanePS.Commands.{command}";

    // The hosted runspace has only the core cmdlets (no Get-ChildItem, Get-Item or Push-Location): the provider
    // intrinsics they wrap give the same objects (FileInfo with PSPath) and the same current location.
    private static string InFolder(string script) =>
        "$here = $ExecutionContext.SessionState.Path.CurrentLocation; $null = $ExecutionContext.SessionState.Path.SetLocation($d); try { " + script + " } finally { $null = $ExecutionContext.SessionState.Path.SetLocation($here) }";
    private const string ChildItems = "$ExecutionContext.SessionState.InvokeProvider.ChildItem.Get($d, $false)";
    private const string ItemLiteral = "$ExecutionContext.SessionState.InvokeProvider.Item.Get([string[]]@($p), $false, $true)";

    private ErrorRecord ErrorFor(object target) => Assert.Single(_session.LastErrors, e => Equals(e.TargetObject, target));

    /// <summary>leaf.pem (one certificate), chain.pem (two), notes.txt (junk), and a sub-directory.</summary>
    private (string Leaf, string Chain, string Junk, string SubDirectory) Folder()
    {
        var leaf = TestPki.WriteChain(_dir, "leaf.pem", _files.Pki.Leaf);
        var chain = TestPki.WriteChain(_dir, "chain.pem", _files.Pki.RsaLeaf, _files.Pki.Intermediate);
        var junk = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(junk, "not a certificate\n");
        var sub = Path.Combine(_dir, "archive.pem");
        Directory.CreateDirectory(sub);
        return (leaf, chain, junk, sub);
    }

    // ---- -Path and -LiteralPath ----

    [Fact]
    public void GetServerSpkiHash_a_directory_an_unreadable_file_a_wildcard_matching_nothing_and_junk_are_one_error_each()
    {
        var (leaf, _, junk, sub) = Folder();
        var none = Path.Combine(_dir, "nothing-*.pem");
        const string unreadable = "/proc/self/mem"; // the tests run as root: a mode-000 file would still be readable
        var details = _session.Run<CertificateDetails>("Get-ServerSpkiHash -Path $a, $b, $c, $d, $e", Vars(("a", sub), ("b", unreadable), ("c", none), ("d", junk), ("e", leaf)));

        Assert.Equal(leaf, Assert.Single(details).Source);
        Assert.Equal(4, _session.LastErrors.Count);
        var directory = ErrorFor(sub);
        Assert.Equal(Id("GetServerSpkiHashNotAFile", "GetServerSpkiHashCommand"), directory.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, directory.CategoryInfo.Category);
        Assert.Contains("directory", directory.Exception.Message, StringComparison.Ordinal);
        var cannotRead = ErrorFor(unreadable);
        Assert.Equal(Id("GetServerSpkiHashFileUnreadable", "GetServerSpkiHashCommand"), cannotRead.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ReadError, cannotRead.CategoryInfo.Category);
        Assert.IsAssignableFrom<IOException>(cannotRead.Exception);
        var noMatch = ErrorFor(none);
        Assert.Equal(Id("GetServerSpkiHashFileNotFound", "GetServerSpkiHashCommand"), noMatch.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, noMatch.CategoryInfo.Category);
        Assert.Contains("matches no file", noMatch.Exception.Message, StringComparison.Ordinal);
        var notACertificate = ErrorFor(junk);
        Assert.Equal(Id("GetServerSpkiHashInvalidCertificate", "GetServerSpkiHashCommand"), notACertificate.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, notACertificate.CategoryInfo.Category);
    }

    [Fact]
    public void GetServerSpkiHash_a_wildcard_reads_every_file_it_matches_relative_to_the_current_location()
    {
        var (leaf, chain, _, _) = Folder();
        var details = _session.Run<CertificateDetails>(InFolder("Get-ServerSpkiHash -Path *.pem"), Vars(("d", _dir)));
        Assert.Empty(_session.LastErrors); // archive.pem is a directory: a wildcard skips directories
        Assert.Equal(new[] { chain, chain, leaf }, details.Select(d => d.Source).OrderBy(s => s, StringComparer.Ordinal));
    }

    [Fact]
    public void GetServerSpkiHash_LiteralPath_takes_brackets_literally_and_Get_ChildItem_output_binds_by_PSPath()
    {
        var bracketed = TestPki.WriteChain(_dir, "leaf[1].pem", _files.Pki.Leaf);
        var chain = TestPki.WriteChain(_dir, "chain.pem", _files.Pki.RsaLeaf, _files.Pki.Intermediate);

        var literal = _session.Run<CertificateDetails>("Get-ServerSpkiHash -LiteralPath $p", Vars(("p", bracketed)));
        Assert.Empty(_session.LastErrors);
        Assert.Equal(bracketed, Assert.Single(literal).Source);
        Assert.Equal(literal, _session.Run<CertificateDetails>("Get-ServerSpkiHash -PSPath $p", Vars(("p", bracketed))), new SameSource());

        var piped = _session.Run<CertificateDetails>(ChildItems + " | Where-Object Name -like '*.pem' | Get-ServerSpkiHash", Vars(("d", _dir)));
        Assert.Empty(_session.LastErrors);
        Assert.Equal(new[] { chain, chain, bracketed }, piped.Select(d => d.Source).OrderBy(s => s, StringComparer.Ordinal));

        var wildcardPiped = _session.Run<CertificateDetails>(InFolder("$ExecutionContext.SessionState.InvokeProvider.ChildItem.Get('*.pem', $false) | Get-ServerSpkiHash"), Vars(("d", _dir)));
        Assert.Empty(_session.LastErrors);
        Assert.Equal(3, wildcardPiped.Count);
    }

    [Fact]
    public void NewTlsaRecord_one_record_per_matching_file_and_one_error_per_bad_path()
    {
        var (leaf, chain, junk, sub) = Folder();
        var records = _session.Run<TlsaRecord>("New-TlsaRecord -Path $a, $b, $c", Vars(("a", sub), ("b", junk), ("c", Path.Combine(_dir, "*.pem"))));
        Assert.Equal(new[] { DaneMatcherTests.Record(3, 1, 1, _files.Pki.RsaLeaf), DaneMatcherTests.Record(3, 1, 1, _files.Pki.Leaf) }, records); // chain.pem, leaf.pem
        Assert.Equal(2, _session.LastErrors.Count);
        Assert.Equal(Id("NewTlsaRecordNotAFile", "NewTlsaRecordCommand"), ErrorFor(sub).FullyQualifiedErrorId);
        Assert.Equal(Id("NewTlsaRecordInvalidCertificate", "NewTlsaRecordCommand"), ErrorFor(junk).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, ErrorFor(junk).CategoryInfo.Category);

        var bracketed = TestPki.WriteChain(_dir, "next[2].pem", _files.Pki.RsaLeaf);
        Assert.Equal(DaneMatcherTests.Record(3, 1, 1, _files.Pki.RsaLeaf), _session.Run<TlsaRecord>("New-TlsaRecord -LiteralPath $p", Vars(("p", bracketed))).Single());
        Assert.Equal(DaneMatcherTests.Record(3, 1, 1, _files.Pki.RsaLeaf), _session.Run<TlsaRecord>(ItemLiteral + " | New-TlsaRecord", Vars(("p", bracketed))).Single());
        Assert.Empty(_session.LastErrors);

        Assert.Empty(_session.Run("New-TlsaRecord -PublicKeyPath $p", Vars(("p", sub))));
        Assert.Equal(Id("NewTlsaRecordNotAFile", "NewTlsaRecordCommand"), ErrorFor(sub).FullyQualifiedErrorId);
        Assert.Empty(_session.Run("New-TlsaRecord -PublicKeyPath $p", Vars(("p", "/proc/self/mem"))));
        Assert.Equal(Id("NewTlsaRecordFileUnreadable", "NewTlsaRecordCommand"), ErrorFor("/proc/self/mem").FullyQualifiedErrorId);
    }

    [Fact]
    public void TestTlsaRecord_judges_each_chain_file_a_wildcard_matches_and_reports_bad_paths()
    {
        var (leaf, chain, _, sub) = Folder();
        var ee = DaneMatcherTests.Record(3, 1, 1, _files.Pki.Leaf).ToString();
        var results = _session.Run("Test-TlsaRecord -Path $p -TlsaRecord $r", Vars(("p", Path.Combine(_dir, "*.pem")), ("r", ee)));
        Assert.Empty(_session.LastErrors);
        Assert.Equal(2, results.Count);
        var byFile = results.ToDictionary(r => (string)r.Properties["Path"].Value, r => (DaneMatchResult)r.BaseObject);
        Assert.Equal(DaneMatchOutcome.Authenticated, byFile[leaf].Outcome);
        Assert.Equal(DaneMatchOutcome.NotAuthenticated, byFile[chain].Outcome);

        var literal = TestPki.WriteChain(_dir, "renewed[1].pem", _files.Pki.Leaf, _files.Pki.Intermediate);
        Assert.True(_session.Run<DaneMatchResult>("Test-TlsaRecord -LiteralPath $p -TlsaRecord $r", Vars(("p", literal), ("r", ee))).Single().IsAuthenticated);

        Assert.Empty(_session.Run("Test-TlsaRecord -Path $p -TlsaRecord $r", Vars(("p", sub), ("r", ee))));
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal(Id("TestTlsaRecordNotAFile", "TestTlsaRecordCommand"), error.FullyQualifiedErrorId);
        Assert.Equal(sub, error.TargetObject);
    }

    // ---- host names on the offline cmdlets ----

    [Theory]
    [MemberData(nameof(HostNameInputTests.BadNames), MemberType = typeof(HostNameInputTests))]
    public void NewTlsaRecord_never_writes_a_zone_file_line_for_a_bad_host_name(string name, string hint)
    {
        var output = _session.Run("New-TlsaRecord -Path $p -HostName $h", Vars(("p", _files.LeafPath), ("h", name)));
        Assert.Empty(output);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal(Id("NewTlsaRecordInvalidHostName", "NewTlsaRecordCommand"), error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(name, error.TargetObject);
        Assert.Contains(hint, error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewTlsaRecord_writes_owner_names_in_canonical_A_label_form()
    {
        var records = _session.Run<DnsTlsaRecord>("'MX.Example.Test.', 'bücher.example.test', 'https://x.test/' | ForEach-Object { New-TlsaRecord -Path $p -HostName $_ }", Vars(("p", _files.LeafPath)));
        Assert.Equal(new[] { "_25._tcp.mx.example.test.", "_25._tcp.xn--bcher-kva.example.test." }, records.Select(r => r.OwnerName));
        Assert.Equal("bücher.example.test", records[1].UnicodeHostName);
        Assert.StartsWith("_25._tcp.xn--bcher-kva.example.test. IN TLSA 3 1 1 ", records[1].ZoneFileLine, StringComparison.Ordinal);
        Assert.Equal(Id("NewTlsaRecordInvalidHostName", "NewTlsaRecordCommand"), Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void GetServerSpkiHash_refuses_a_bad_host_name_before_connecting_and_goes_on_to_the_next()
    {
        var details = _session.Run<CertificateDetails>(
            "@([pscustomobject]@{ HostName = 'smtp://mx.example.test'; Port = 1 }, [pscustomobject]@{ HostName = 'mx.example.test:25'; Port = 1 }) | Get-ServerSpkiHash -TimeoutSec 2");
        Assert.Empty(details);
        Assert.Equal(2, _session.LastErrors.Count);
        Assert.All(_session.LastErrors, e =>
        {
            Assert.Equal(Id("GetServerSpkiHashInvalidHostName", "GetServerSpkiHashCommand"), e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        });
        Assert.Equal(new object[] { "smtp://mx.example.test", "mx.example.test:25" }, _session.LastErrors.Select(e => e.TargetObject));
    }

    [Fact]
    public void TestTlsaRecord_checks_reference_names_and_gives_no_verdict_for_a_bad_one()
    {
        var ta = DaneMatcherTests.Record(2, 1, 1, _files.Pki.Intermediate).ToString();
        var ok = _session.Run<DaneMatchResult>("Test-TlsaRecord -Path $p -TlsaRecord $r -HostName 'MX.Example.Test.'", Vars(("p", _files.ChainPath), ("r", ta))).Single();
        Assert.True(ok.IsAuthenticated);

        Assert.Empty(_session.Run("Test-TlsaRecord -Path $p -TlsaRecord $r -HostName 'mx.example.test', 'https://mx.example.test/'", Vars(("p", _files.ChainPath), ("r", ta))));
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal(Id("TestTlsaRecordInvalidHostName", "TestTlsaRecordCommand"), error.FullyQualifiedErrorId);
        Assert.Equal("https://mx.example.test/", error.TargetObject);
    }

    // ---- RFC 7218 mnemonics ----

    [Theory]
    [InlineData("DANE-TA", "Cert", "SHA2-512", 2, 0, 2)]
    [InlineData("dane-ee", "spki", "sha2-256", 3, 1, 1)]
    [InlineData("PKIX-EE", "SPKI", "Full", 1, 1, 0)]
    [InlineData("PKIX-TA", "CERT", "SHA2-256", 0, 0, 1)]
    [InlineData("DaneEe", "Spki", "Sha256", 3, 1, 1)]
    [InlineData("2", "1", "2", 2, 1, 2)]
    public void NewTlsaRecord_accepts_rfc7218_mnemonics_enum_names_and_numbers(string usage, string selector, string matching, int u, int s, int m)
    {
        var record = _session.Run<TlsaRecord>($"New-TlsaRecord -Path $p -Depth 1 -Usage {usage} -Selector {selector} -MatchingType {matching}", Vars(("p", _files.ChainPath))).Single();
        Assert.Empty(_session.LastErrors);
        Assert.Equal(DaneMatcherTests.Record(u, s, m, _files.Pki.Intermediate), record);
    }

    [Theory]
    [InlineData("-Usage DANE-XX", "DANE-EE")]
    [InlineData("-Usage 7", "DANE-EE")]
    [InlineData("-Selector SPKI2", "SPKI")]
    [InlineData("-MatchingType SHA1", "SHA2-256")]
    public void NewTlsaRecord_an_unknown_mnemonic_fails_at_binding_and_lists_the_known_ones(string argument, string listed)
    {
        Assert.Empty(_session.Run($"New-TlsaRecord -Path $p {argument}", Vars(("p", _files.LeafPath))));
        var error = Assert.Single(_session.LastErrors);
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.Contains(listed, error.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("New-TlsaRecord -Usage DANE-", new[] { "DANE-EE", "DANE-TA" })]
    [InlineData("New-TlsaRecord -Usage pkix-", new[] { "PKIX-EE", "PKIX-TA" })]
    [InlineData("New-TlsaRecord -Selector sp", new[] { "SPKI" })]
    [InlineData("New-TlsaRecord -MatchingType SHA2-", new[] { "SHA2-256", "SHA2-512" })]
    [InlineData("New-TlsaRecord -Path x.pem -MatchingType SHA2-5", new[] { "SHA2-512" })]
    public void Usage_selector_and_matching_type_complete_on_tab_with_their_mnemonics(string line, string[] expected)
    {
        var completions = _session.Run<CommandCompletion>("TabExpansion2 -inputScript $s -cursorColumn $s.Length", Vars(("s", line))).Single();
        Assert.Equal(expected, completions.CompletionMatches.Select(c => c.CompletionText).OrderBy(t => t, StringComparer.Ordinal));
        Assert.All(completions.CompletionMatches, c => Assert.Equal(CompletionResultType.ParameterValue, c.ResultType));
    }

    [Fact]
    public void An_empty_tab_offers_every_mnemonic()
    {
        foreach (var (parameter, mnemonics) in new[] { ("Usage", new[] { "PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE" }), ("Selector", new[] { "Cert", "SPKI" }), ("MatchingType", new[] { "Full", "SHA2-256", "SHA2-512" }) })
        {
            var line = $"New-TlsaRecord -{parameter} ";
            var offered = _session.Run<CommandCompletion>("TabExpansion2 -inputScript $s -cursorColumn $s.Length", Vars(("s", line))).Single().CompletionMatches.Select(c => c.CompletionText).ToList();
            Assert.Subset(offered.ToHashSet(), mnemonics.ToHashSet());
        }
    }

    private sealed class SameSource : IEqualityComparer<CertificateDetails>
    {
        public bool Equals(CertificateDetails? x, CertificateDetails? y) => x?.Source == y?.Source && x?.SpkiSha256 == y?.SpkiSha256;

        public int GetHashCode(CertificateDetails obj) => (obj.Source ?? string.Empty).GetHashCode(StringComparison.Ordinal);
    }
}
