using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Tests.Module;
using Xunit;
using Z = DanePS.Tests.Fixtures.Dns.StandardDaneZones;

namespace DanePS.Tests.Dns;

/// <summary>-DnssecValidation and -TrustAnchorPath on every cmdlet that reads DNS, and who validated, on every result.</summary>
public sealed class DnssecValidationParameterTests : IClassFixture<StandardDnsFixture>, IDisposable
{
    private static readonly string[] DnsCmdlets = ["Get-TlsaRecord", "Test-DaneEndpoint", "Test-DaneMailDomain", "Get-ServerSpkiHash", "Invoke-TlsaRollover"];

    private readonly StandardDnsFixture _dns;
    private readonly ModuleSession _session = new();
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "daneps-anchors-" + Guid.NewGuid().ToString("N"))).FullName;

    public DnssecValidationParameterTests(StandardDnsFixture dns) => _dns = dns;

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] extra)
    {
        var vars = new Dictionary<string, object?> { ["resolver"] = _dns.Resolver, ["folder"] = _folder };
        foreach (var (name, value) in extra)
        {
            vars[name] = value;
        }

        return vars;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Every_DNS_reading_cmdlet_takes_DnssecValidation_and_TrustAnchorPath_and_Auto_is_the_default()
    {
        foreach (var cmdlet in DnsCmdlets)
        {
            var types = _session.Run<string>("$c = Get-Command -Name $n; $c.Parameters['DnssecValidation'].ParameterType.FullName; $c.Parameters['TrustAnchorPath'].ParameterType.FullName", Vars(("n", cmdlet)));
            Assert.Equal(new[] { typeof(DnssecValidationMode).FullName, typeof(string).FullName }, types);
        }

        Assert.Equal(new[] { "Auto", "Resolver", "Local" }, Enum.GetNames<DnssecValidationMode>());

        // Auto, with a validating resolver on loopback: the resolver's AD bit is believed.
        var set = _session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName mx1.signed.test -Server $resolver", Vars()).Single();
        Assert.Equal(DnssecValidationMode.Resolver, set.DnssecValidation);
    }

    [Theory]
    [InlineData("Resolver", DnssecValidationMode.Resolver)]
    [InlineData("Local", DnssecValidationMode.Local)]
    public void Get_TlsaRecord_says_who_validated(string mode, DnssecValidationMode expected)
    {
        var anchor = Write("root.ds", "; the fixture's private root\n" + _dns.Env.TrustAnchor + "\n");
        var set = _session.Run<TlsaRecordSet>($"Get-TlsaRecord -HostName mx1.signed.test -Server $resolver -DnssecValidation {mode} -TrustAnchorPath $anchor", Vars(("anchor", anchor))).Single();
        Assert.Empty(_session.LastErrors);
        Assert.Equal(expected, set.DnssecValidation);
        Assert.Equal(Engine.Tlsa.DnssecStatus.Secure, set.DnssecStatus);
    }

    [Fact]
    public void Endpoint_and_mail_domain_results_say_who_validated()
    {
        var domain = _session.Run<DaneMailDomainResult>("Test-DaneMailDomain -MailDomain signed.test -Server $resolver -TimeoutSec 5 -DnssecValidation Resolver", Vars()).Single();
        Assert.Equal(DnssecValidationMode.Resolver, domain.DnssecValidation);
        Assert.NotEmpty(domain.Endpoints);
        Assert.All(domain.Endpoints, e => Assert.Equal(DnssecValidationMode.Resolver, e.DnssecValidation));
        var endpoint = _session.Run<DaneEndpointResult>("Test-DaneEndpoint -HostName mx1.signed.test -Server $resolver -TimeoutSec 5 -DnssecValidation Local", Vars()).First();
        Assert.Equal(DnssecValidationMode.Local, endpoint.DnssecValidation);
        _session.ClearHostOutput();
        _session.Run("$d | Out-Default", Vars(("d", domain)));
        Assert.Matches(@"DnssecValidation\s*:\s*Resolver", _session.HostOutput);
    }

    [Fact]
    public void A_resolver_that_does_not_validate_is_warned_about_only_when_its_AD_bit_is_what_counts()
    {
        var anchor = Write("root-plain.ds", _dns.Env.TrustAnchor + "\n");
        var vars = Vars(("plain", _dns.Env.NonValidatingResolverEndPoint.ToString()), ("anchor", anchor));

        // Auto with a resolver that does not validate: DanePS validates itself, so that resolver changes nothing.
        var local = _session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName mx1.signed.test -Server $plain -TrustAnchorPath $anchor -Verbose", vars).Single();
        Assert.Equal(DnssecValidationMode.Local, local.DnssecValidation);
        Assert.Equal(Engine.Tlsa.DnssecStatus.Secure, local.DnssecStatus);
        Assert.DoesNotContain(_session.LastWarnings, w => w.Message.Contains("does not validate", StringComparison.Ordinal));
        Assert.Contains(_session.LastVerbose, v => v.Message.Contains("DanePS validates the answers itself", StringComparison.Ordinal));

        // Resolver mode through the same resolver: its AD bit is all there is, and it sets none.
        var resolver = _session.Run<TlsaRecordSet>("Get-TlsaRecord -HostName mx1.signed.test -Server $plain -DnssecValidation Resolver", vars).Single();
        Assert.Equal(DnssecValidationMode.Resolver, resolver.DnssecValidation);
        Assert.Contains(_session.LastWarnings, w => w.Message.Contains("does not validate", StringComparison.Ordinal));
    }

    [Fact]
    public void A_trust_anchor_file_as_dig_prints_it_or_unbound_keeps_it_is_read_relative_to_the_current_location()
    {
        // dig . DNSKEY +dnssec output: header comments, the DNSKEY split over lines, an RRSIG that is not an anchor.
        var dnskey = _dns.Env.RootDnskey.Split(" DNSKEY ", 2);
        Write("dig.txt", $"""
            ; <<>> DiG 9.18 <<>> . DNSKEY +dnssec
            ;; ANSWER SECTION:
            {dnskey[0].Replace(" IN", " 172800 IN", StringComparison.Ordinal)} DNSKEY ( {dnskey[1][..20]}
                {dnskey[1][20..]} ) ; KSK; alg = ECDSAP256SHA256 ; key id = {_dns.Env.RootKeyTag}
            .   172800 IN RRSIG DNSKEY 13 0 172800 20270101000000 20261201000000 {_dns.Env.RootKeyTag} . c2lnbmF0dXJl
            $TTL 3600
            """);
        var sets = _session.Run<TlsaRecordSet>("$null = $ExecutionContext.SessionState.Path.SetLocation($folder); Get-TlsaRecord -HostName mx1.signed.test -Server $resolver -DnssecValidation Local -TrustAnchorPath ./dig.txt", Vars());
        Assert.Empty(_session.LastErrors.Select(e => e.Exception.Message));
        var set = Assert.Single(sets);
        Assert.Equal(DnssecValidationMode.Local, set.DnssecValidation);
    }

    public static TheoryData<string, string, ErrorCategory> BadAnchors() => new()
    {
        { "missing.ds", "GetTlsaRecordTrustAnchorNotFound", ErrorCategory.ObjectNotFound },
        { "*.nothing", "GetTlsaRecordTrustAnchorNotFound", ErrorCategory.ObjectNotFound },
        { ".", "GetTlsaRecordTrustAnchorNotFound", ErrorCategory.ObjectNotFound },
        { "empty.ds", "GetTlsaRecordInvalidTrustAnchor", ErrorCategory.InvalidData },
        { "soa-only.txt", "GetTlsaRecordInvalidTrustAnchor", ErrorCategory.InvalidData },
        { "bad-digest.ds", "GetTlsaRecordInvalidTrustAnchor", ErrorCategory.InvalidData },
        { "bad-key.dnskey", "GetTlsaRecordInvalidTrustAnchor", ErrorCategory.InvalidData },
        { "relative-owner.ds", "GetTlsaRecordInvalidTrustAnchor", ErrorCategory.InvalidData },
        { "unclosed.ds", "GetTlsaRecordInvalidTrustAnchor", ErrorCategory.InvalidData },
    };

    [Theory]
    [MemberData(nameof(BadAnchors))]
    public void A_bad_trust_anchor_file_is_a_clean_terminating_error_naming_the_file(string file, string errorId, ErrorCategory category)
    {
        Write("empty.ds", "; nothing here\n\n");
        Write("soa-only.txt", ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n");
        Write("bad-digest.ds", ". IN DS 20326 8 2 NOTHEX\n");
        Write("bad-key.dnskey", ". IN DNSKEY 257 3 8 !!!notbase64!!!\n");
        Write("relative-owner.ds", "example IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
        Write("unclosed.ds", ". IN DS ( 20326 8 2\n E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
        var output = _session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($folder); 'mx1.signed.test', 'mx2.signed.test' | Get-TlsaRecord -Server $resolver -TrustAnchorPath $f; 'after'", Vars(("f", file)));
        Assert.DoesNotContain(output, o => o.BaseObject is TlsaRecordSet);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal(errorId + ",DanePS.Commands.GetTlsaRecordCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(file.TrimStart('*', '.'), error.TargetObject?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Exception.Message));
        var ex = Assert.ThrowsAny<RuntimeException>(() => _session.Run("$ErrorActionPreference = 'Stop'; $null = $ExecutionContext.SessionState.Path.SetLocation($folder); Get-TlsaRecord -HostName mx1.signed.test -Server $resolver -TrustAnchorPath $f; 'not reached'", Vars(("f", file))));
        Assert.StartsWith(errorId + ",", ex.ErrorRecord.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_DNS_reading_cmdlet_names_a_missing_trust_anchor_file_with_its_own_ErrorId()
    {
        foreach (var (cmdlet, arguments) in new[]
        {
            ("Test-DaneEndpoint", "-HostName mx1.signed.test"),
            ("Test-DaneMailDomain", "-MailDomain signed.test"),
            ("Get-ServerSpkiHash", "-HostName mx1.signed.test"),
        })
        {
            _session.Run($"{cmdlet} {arguments} -Server $resolver -TrustAnchorPath ($folder + '/missing.ds')", Vars());
            var error = Assert.Single(_session.LastErrors);
            Assert.StartsWith(cmdlet.Replace("-", string.Empty, StringComparison.Ordinal) + "TrustAnchorNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        }
    }
}
