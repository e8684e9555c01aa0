using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Providers;
using DanePS.Engine.Providers.Cloudflare;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Cloudflare;
using DanePS.Tests.Reporting;
using Xunit;

namespace DanePS.Tests.Providers;

public sealed class CloudflareTlsaProviderTests : IDisposable
{
    private const string Token = "cf-token-Zq81xW0-secret";
    private const string Owner = "_25._tcp.mail.example.com";
    private static readonly TlsaRecord Old = TlsaRecord.Parse("3 1 1 " + new string('A', 64));
    private static readonly TlsaRecord New = TlsaRecord.Parse("3 1 1 " + new string('B', 64));

    private readonly CloudflareEmulator _cloudflare = new(Token, "example.com", "example.net");
    private readonly CollectingReporter _reporter = new();

    public void Dispose() => _cloudflare.Dispose();

    internal static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    private CloudflareTlsaProvider Provider(Action<CloudflareProviderOptions>? configure = null)
    {
        var options = new CloudflareProviderOptions
        {
            ApiToken = Secure(Token),
            BaseAddress = _cloudflare.BaseAddress,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return new CloudflareTlsaProvider(options) { Reporter = _reporter };
    }

    [Fact]
    public async Task Adds_a_record_as_data_fields_and_lists_it_back_with_its_id_finding_the_zone_by_name()
    {
        using var provider = Provider(o => o.ZoneName = "example.com");
        var change = await provider.AddAsync(Owner, New, 300, CancellationToken.None);

        Assert.Equal(TlsaChangeOutcome.Added, change.Outcome);
        Assert.Equal($"{Owner} 3 1 1 {new string('b', 64)}", Assert.Single(_cloudflare.Tlsa()));
        var listed = Assert.Single(await provider.GetAsync(Owner, CancellationToken.None));
        Assert.Equal(New, listed.Record);
        Assert.Equal(300, listed.Ttl);
        Assert.NotNull(listed.ProviderId);
        Assert.Contains(_cloudflare.Requests, r => r.Request == "GET /client/v4/zones?name=example.com");
        Assert.All(_cloudflare.Requests, r => Assert.True(r.Authorized));
    }

    [Fact]
    public async Task Finds_the_zone_from_the_owner_name_when_none_is_given_and_by_id_without_any_lookup()
    {
        using (var byOwner = Provider())
        {
            await byOwner.AddAsync(Owner, New, 300, CancellationToken.None);
        }

        Assert.Contains(_cloudflare.Requests, r => r.Request.StartsWith("GET /client/v4/zones?name=tcp.mail.example.com", StringComparison.Ordinal) || r.Request.StartsWith("GET /client/v4/zones?name=mail.example.com", StringComparison.Ordinal));
        Assert.Contains(_cloudflare.Requests, r => r.Request == "GET /client/v4/zones?name=example.com");
        while (_cloudflare.Requests.TryDequeue(out _))
        {
        }

        using var byId = Provider(o => o.ZoneId = _cloudflare.ZoneId("example.com"));
        Assert.Single(await byId.GetAsync(Owner, CancellationToken.None));
        Assert.DoesNotContain(_cloudflare.Requests, r => r.Request.Contains("/zones?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Adding_a_record_that_exists_is_a_no_op_and_a_create_that_loses_a_race_with_81057_counts_as_done()
    {
        using var provider = Provider(o => o.ZoneName = "example.com");
        await provider.AddAsync(Owner, New, 300, CancellationToken.None);
        var again = await provider.AddAsync(Owner, New, 300, CancellationToken.None);
        Assert.Equal(TlsaChangeOutcome.AlreadyPresent, again.Outcome);
        Assert.Single(_cloudflare.Tlsa());

        _cloudflare.RaceNextCreate = true;
        var raced = await provider.AddAsync(Owner, Old, 300, CancellationToken.None);
        Assert.Equal(TlsaChangeOutcome.AlreadyPresent, raced.Outcome);
        Assert.Equal(2, _cloudflare.Tlsa().Count);
    }

    [Fact]
    public async Task Lists_every_page()
    {
        for (var i = 0; i < 7; i++)
        {
            _cloudflare.Seed("example.com", Owner, "3 1 1 " + i.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + new string('C', 62));
        }

        using var provider = Provider(o =>
        {
            o.ZoneName = "example.com";
            o.PageSize = 3;
        });
        var listed = await provider.GetAsync(Owner, CancellationToken.None);
        Assert.Equal(7, listed.Count);
        Assert.Equal(3, _cloudflare.Requests.Count(r => r.Request.Contains("/dns_records?", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Removes_only_the_named_record_and_reports_an_absent_one_as_already_absent()
    {
        _cloudflare.Seed("example.com", Owner, Old.ToString());
        _cloudflare.Seed("example.com", Owner, New.ToString());
        _cloudflare.Seed("example.com", "_443._tcp.mail.example.com", Old.ToString());
        using var provider = Provider(o => o.ZoneName = "example.com");

        Assert.Equal(TlsaChangeOutcome.Removed, (await provider.RemoveAsync(Owner, Old, CancellationToken.None)).Outcome);
        Assert.Equal(TlsaChangeOutcome.AlreadyAbsent, (await provider.RemoveAsync(Owner, Old, CancellationToken.None)).Outcome);
        Assert.Equal(
            new[] { $"_25._tcp.mail.example.com 3 1 1 {new string('b', 64)}", $"_443._tcp.mail.example.com 3 1 1 {new string('a', 64)}" },
            _cloudflare.Tlsa());
    }

    [Fact]
    public async Task Backs_off_on_429_as_Retry_After_says_then_succeeds()
    {
        using var provider = Provider(o => o.ZoneName = "example.com");
        _cloudflare.RetryAfterSeconds = 1;
        _cloudflare.RateLimitNext(2);
        var clock = Stopwatch.StartNew();
        var change = await provider.AddAsync(Owner, New, 300, CancellationToken.None);
        Assert.Equal(TlsaChangeOutcome.Added, change.Outcome);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"waited only {clock.Elapsed}");
        Assert.Equal(2, _reporter.VerboseLines.Count(l => l.Contains("HTTP 429", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Gives_up_after_the_retries_with_a_rate_limited_error()
    {
        using var provider = Provider(o =>
        {
            o.ZoneId = _cloudflare.ZoneId("example.com");
            o.MaxRetries = 1;
            o.MaxBackoff = TimeSpan.FromMilliseconds(10);
        });
        _cloudflare.RateLimitNext(5);
        var ex = await Assert.ThrowsAsync<TlsaProviderException>(() => provider.GetAsync(Owner, CancellationToken.None));
        Assert.Equal(TlsaProviderFailure.RateLimited, ex.Failure);
        Assert.Equal(971, ex.ProviderCode);
    }

    [Fact]
    public async Task A_wrong_token_is_an_authentication_failure_whose_message_never_holds_a_token()
    {
        var options = new CloudflareProviderOptions { ApiToken = Secure("wrong-token-XYZ"), BaseAddress = _cloudflare.BaseAddress, ZoneName = "example.com" };
        using var provider = new CloudflareTlsaProvider(options);
        var ex = await Assert.ThrowsAsync<TlsaProviderException>(() => provider.AddAsync(Owner, New, 300, CancellationToken.None));
        Assert.Equal(TlsaProviderFailure.AuthenticationFailed, ex.Failure);
        Assert.Contains("10000 Authentication error", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token-XYZ", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal("Bearer wrong-token-XYZ", _cloudflare.Requests.First().AuthorizationHeader);
    }

    [Fact]
    public async Task An_unknown_zone_is_reported_as_such_by_name_and_by_id()
    {
        using var byName = Provider(o => o.ZoneName = "example.org");
        var ex = await Assert.ThrowsAsync<TlsaProviderException>(() => byName.GetAsync("_25._tcp.mail.example.org", CancellationToken.None));
        Assert.Equal(TlsaProviderFailure.ZoneNotFound, ex.Failure);

        using var byId = Provider(o => o.ZoneId = new string('f', 32));
        var byIdEx = await Assert.ThrowsAsync<TlsaProviderException>(() => byId.GetAsync(Owner, CancellationToken.None));
        Assert.Equal(TlsaProviderFailure.ZoneNotFound, byIdEx.Failure);
        Assert.Equal(7003, byIdEx.ProviderCode);
    }

    [Fact]
    public async Task The_log_names_requests_but_never_the_token()
    {
        using var provider = Provider(o => o.ZoneName = "example.com");
        await provider.AddAsync(Owner, New, 300, CancellationToken.None);
        await provider.RemoveAsync(Owner, New, CancellationToken.None);
        Assert.Contains(_reporter.VerboseLines, l => l.StartsWith("Cloudflare: POST /client/v4/zones/", StringComparison.Ordinal));
        Assert.Contains(_reporter.VerboseLines, l => l.StartsWith("Cloudflare: DELETE /client/v4/zones/", StringComparison.Ordinal));
        Assert.DoesNotContain(_reporter.VerboseLines, l => l.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(Token, provider.ToString(), StringComparison.Ordinal);
    }
}
