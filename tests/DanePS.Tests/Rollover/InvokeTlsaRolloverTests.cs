using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DanePS.Engine.Rollover;
using DanePS.Tests.Module;
using DanePS.Tests.Providers;
using Xunit;

namespace DanePS.Tests.Rollover;

/// <summary>Invoke-TlsaRollover in a real runspace: RFC 2136 provider made by New-TlsaProvider, a script-block reload, -WhatIf and -Verbose/-Debug.</summary>
public sealed class InvokeTlsaRolloverTests : IClassFixture<RolloverWorld>, IDisposable
{
    private readonly RolloverWorld _world;
    private readonly ModuleSession _session = new();

    public InvokeTlsaRolloverTests(RolloverWorld world) => _world = world;

    public void Dispose() => _session.Dispose();

    private Dictionary<string, object?> Vars(RolloverHost host, string certificateFile) => new()
    {
        ["h"] = host,
        ["secret"] = CloudflareTlsaProviderTests.Secure(_world.Dns.UpdateKeySecret),
        ["keyName"] = _world.Dns.UpdateKeyName,
        ["primary"] = _world.Dns.PrimaryServerAddress.ToString(),
        ["resolver"] = $"{_world.Dns.ResolverEndPoint.Address}:{_world.Dns.ResolverEndPoint.Port}",
        ["cert"] = certificateFile,
        ["state"] = host.StateDirectory,
    };

    private const string Provider = "$p = New-TlsaProvider -Rfc2136 -TsigKey ([pscredential]::new($keyName, $secret)) -PrimaryServer $primary; ";

    private static string WriteCertificate(RolloverHost host)
    {
        var file = System.IO.Path.Combine(host.StateDirectory, "staged-cert.pem");
        System.IO.File.WriteAllText(file, Fixtures.Pki.TestPki.ToPem(host.Next.Leaf));
        return file;
    }

    [Fact]
    public async Task WhatIf_then_a_real_run_with_a_script_block_reload_and_the_TSIG_secret_never_shows()
    {
        await using var host = await _world.StartHostAsync();
        var vars = Vars(host, WriteCertificate(host));
        var plan = _session.Run<TlsaRolloverStep>(Provider + "Invoke-TlsaRollover -HostName $h.Name -Port 443 -Provider $p -StagedKeyPath $cert -Server $resolver -StateDirectory $state -ReloadScript { 'never' } -WhatIf", vars);
        Assert.True(plan.Count == 7 && plan.All(s => s.Status == RolloverStepStatus.WouldDo), string.Join("\n", plan) + string.Join("\n", _session.LastErrors));
        Assert.Equal(0, host.Reloads);
        Assert.Single(await host.PublishedAsync());

        _session.ClearHostOutput();
        var steps = _session.Run<TlsaRolloverStep>(Provider +
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " +
            "Invoke-TlsaRollover -HostName $h.Name -Port 443 -Provider $p -StagedKeyPath $cert -Server $resolver -StateDirectory $state -PollIntervalSec 1 -Ttl 2 " +
            "-ReloadScript { [void]$h.SwapAsync([Threading.CancellationToken]::None).GetAwaiter().GetResult(); 'reloaded nginx' } -Verbose -Debug", vars);
        Assert.True(_session.LastErrors.Count == 0, string.Join("\n", _session.LastErrors));
        Assert.Equal("Plan Publish Wait Reload Verify Retire Complete", string.Join(" ", steps.Select(s => s.Step)));
        Assert.Contains("reloaded nginx", steps.Single(s => s.Step == RolloverStepKind.Reload).Output, StringComparison.Ordinal);
        Assert.Equal(host.NextRecord, Assert.Single(await host.PublishedAsync()));
        Assert.Contains("RFC 2136: add", _session.HostOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(_world.Dns.UpdateKeySecret, _session.HostOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_script_that_fails_is_a_terminating_error_with_its_id_and_nothing_is_removed()
    {
        await using var host = await _world.StartHostAsync();
        var vars = Vars(host, WriteCertificate(host));
        var steps = _session.Run<TlsaRolloverStep>(Provider +
            "Invoke-TlsaRollover -HostName $h.Name -Port 443 -Provider $p -StagedKeyPath $cert -Server $resolver -StateDirectory $state -PollIntervalSec 1 -Ttl 2 -ReloadScript { throw 'nginx: configuration file test failed' }", vars);
        var error = Assert.Single(_session.LastErrors);
        Assert.StartsWith("InvokeTlsaRolloverReloadFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("configuration file test failed", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(RolloverStepStatus.Failed, steps.Last().Status);
        Assert.Equal(2, (await host.PublishedAsync()).Count);
    }
}
