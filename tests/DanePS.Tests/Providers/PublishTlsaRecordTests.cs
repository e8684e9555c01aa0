using System;
using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Providers;
using DanePS.Tests.Fixtures.Cloudflare;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Providers;

/// <summary>Publish-TlsaRecord and Unpublish-TlsaRecord in a real runspace, against the Cloudflare emulator.</summary>
public sealed class PublishTlsaRecordTests : IDisposable
{
    private const string Token = "cf-Publish-token-7fQ2-secret";
    private static readonly string NewHex = new('B', 64);
    private static readonly string OldHex = new('A', 64);

    private readonly CloudflareEmulator _cloudflare = new(Token, "example.com");
    private readonly ModuleSession _session = new();

    public void Dispose()
    {
        _session.Dispose();
        _cloudflare.Dispose();
    }

    private Dictionary<string, object?> Vars => new() { ["uri"] = _cloudflare.BaseAddress.ToString(), ["token"] = CloudflareTlsaProviderTests.Secure(Token) };

    private const string MakeProvider = "$p = New-TlsaProvider -Cloudflare -ApiToken $token -Zone example.com -ApiUri $uri; ";

    [Fact]
    public void Publishes_records_from_New_TlsaRecord_and_text_with_HostName_and_a_second_publish_is_reported_already_present()
    {
        var first = _session.Run<TlsaChange>(MakeProvider +
            $"'3 1 1 {NewHex}' | Publish-TlsaRecord -Provider $p -HostName mail.example.com -Port 25; " +
            $"ConvertTo-TlsaRecord '3 1 1 {NewHex}' | Publish-TlsaRecord -Provider $p -HostName mail.example.com -Port 443", Vars);
        Assert.True(_session.LastErrors.Count == 0, string.Join("\n", _session.LastErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Assert.All(first, c => Assert.Equal(TlsaChangeOutcome.Added, c.Outcome));
        Assert.Equal(new[] { "_25._tcp.mail.example.com.", "_443._tcp.mail.example.com." }, first.Select(c => c.OwnerName));

        var again = _session.Run<TlsaChange>(MakeProvider + $"'3 1 1 {NewHex}' | Publish-TlsaRecord -Provider $p -HostName mail.example.com -Port 25 -Verbose", Vars);
        Assert.Equal(TlsaChangeOutcome.AlreadyPresent, Assert.Single(again).Outcome);
        Assert.Equal(2, _cloudflare.Tlsa().Count);
    }

    [Fact]
    public void WhatIf_changes_nothing_and_says_what_it_would_do()
    {
        _session.Run(MakeProvider + $"'3 1 1 {NewHex}' | Publish-TlsaRecord -Provider $p -HostName mail.example.com -WhatIf", Vars);
        Assert.Empty(_cloudflare.Tlsa());
        Assert.Contains("Publish through Cloudflare zone example.com", _session.HostOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(_cloudflare.Requests, r => r.Request.StartsWith("POST", StringComparison.Ordinal));
    }

    [Fact]
    public void Unpublish_removes_only_the_given_record_reports_an_absent_one_and_is_high_impact()
    {
        _cloudflare.Seed("example.com", "_25._tcp.mail.example.com", "3 1 1 " + OldHex);
        _cloudflare.Seed("example.com", "_25._tcp.mail.example.com", "3 1 1 " + NewHex);
        var changes = _session.Run<TlsaChange>(MakeProvider +
            $"'3 1 1 {OldHex}','3 1 1 {OldHex}' | Unpublish-TlsaRecord -Provider $p -HostName mail.example.com -Confirm:$false", Vars);
        Assert.True(_session.LastErrors.Count == 0, string.Join("\n", _session.LastErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Assert.Equal(new[] { TlsaChangeOutcome.Removed, TlsaChangeOutcome.AlreadyAbsent }, changes.Select(c => c.Outcome));
        Assert.Equal($"_25._tcp.mail.example.com 3 1 1 {NewHex.ToLowerInvariant()}", Assert.Single(_cloudflare.Tlsa()));

        var impact = _session.Run<string>("(Get-Command Unpublish-TlsaRecord).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact.ToString()");
        Assert.Equal("High", Assert.Single(impact));
    }

    [Fact]
    public void A_record_without_an_owner_name_is_a_per_item_error_and_the_pipeline_goes_on()
    {
        var changes = _session.Run<TlsaChange>(MakeProvider +
            $"@('3 1 1 {NewHex}'; (New-TlsaRecord -HostName mail.example.com -Port 25 -Usage 3 -Selector 1 -MatchingType 1 -AssociationData '{OldHex}' -ErrorAction SilentlyContinue)) | Where-Object {{ $_ }} | Publish-TlsaRecord -Provider $p", Vars);
        Assert.Contains(_session.LastErrors, e => e.FullyQualifiedErrorId.StartsWith("PublishTlsaRecordNoOwnerName", StringComparison.Ordinal));
        Assert.True(changes.Count <= 1);
    }

    [Fact]
    public void A_refused_token_is_an_authentication_error_and_the_token_appears_nowhere_even_with_Verbose_and_Debug()
    {
        var vars = Vars;
        vars["token"] = CloudflareTlsaProviderTests.Secure("wrong-" + Token);
        _session.Run(MakeProvider + $"$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; foreach ($prop in $p.psobject.Properties) {{ $Host.UI.WriteLine($prop.Name + '=' + $prop.Value) }}; '3 1 1 {NewHex}' | Publish-TlsaRecord -Provider $p -HostName mail.example.com -Verbose -Debug", vars);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("PublishTlsaRecordProviderFailed,DanePS.Commands.PublishTlsaRecordCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        var everything = _session.HostOutput + error + error.Exception;
        Assert.Contains("Cloudflare: GET /client/v4/zones?name=example.com", _session.HostOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, everything, StringComparison.Ordinal);
    }
}
