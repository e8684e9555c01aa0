using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Providers;
using DanePS.Engine.Rollover;
using DanePS.Engine.Tlsa;
using Xunit;

namespace DanePS.Tests.Rollover;

/// <summary>Whole rollovers against Knot (TSIG updates, online signing, a secondary), Unbound and nginx whose certificate the reload swaps.</summary>
public sealed class TlsaRolloverTests : IClassFixture<RolloverWorld>
{
    private readonly RolloverWorld _world;

    public TlsaRolloverTests(RolloverWorld world) => _world = world;

    private static async Task<CollectingSink> RunAsync(TlsaRolloverOptions options, Action<TlsaRolloverStep>? onStep = null, CancellationToken ct = default)
    {
        var sink = new CollectingSink(onStep);
        await new TlsaRollover(options).RunAsync(sink, ct);
        return sink;
    }

    [Fact]
    public async Task A_whole_rollover_publishes_waits_for_every_server_reloads_verifies_and_retires_the_old_record_and_a_second_run_has_nothing_to_do()
    {
        await using var host = await _world.StartHostAsync();
        var sink = await RunAsync(host.Options());

        Assert.Equal("Plan:Done | Publish:Done | Wait:Done | Reload:Done | Verify:Done | Retire:Done | Complete:Done", sink.Summary);
        Assert.Equal(host.NextRecord, Assert.Single(await host.PublishedAsync()));
        Assert.True(await host.PresentsAsync(host.Next));
        var retire = sink.Steps.Single(s => s.Step == RolloverStepKind.Retire);
        Assert.Equal(host.OldRecord, Assert.Single(retire.Changes).Record);
        Assert.Contains(sink.ProgressLines, p => p.Contains("caches may hold the old RRset until", StringComparison.Ordinal));

        // certbot ran again and the key did not change: nothing to do, nothing changed.
        var again = await RunAsync(host.Options());
        Assert.Equal("Plan:Done | Complete:NothingToDo", again.Summary);
        Assert.Equal(1, host.Reloads);
    }

    [Fact]
    public async Task WhatIf_prints_the_whole_plan_and_changes_nothing()
    {
        await using var host = await _world.StartHostAsync();
        var options = host.Options();
        options.WhatIf = true;
        var sink = await RunAsync(options);

        Assert.Equal("Plan:WouldDo | Publish:WouldDo | Wait:WouldDo | Reload:WouldDo | Verify:WouldDo | Retire:WouldDo | Complete:WouldDo", sink.Summary);
        Assert.Contains(host.NextRecord.ToString(), sink.Steps.Single(s => s.Step == RolloverStepKind.Publish).Message, StringComparison.Ordinal);
        Assert.Equal(host.OldRecord, Assert.Single(await host.PublishedAsync()));
        Assert.Equal(0, host.Reloads);
    }

    /// <summary>Under -Verbose a rollover narrates what it reads, as the other cmdlets do: each DNS answer, and what each address presents.</summary>
    [Fact]
    public async Task The_reporter_hears_every_dns_answer_and_tls_read_of_the_plan()
    {
        await using var host = await _world.StartHostAsync();
        var options = host.Options();
        options.WhatIf = true;
        var reporter = new DanePS.Tests.Reporting.CollectingReporter();
        options.Reporter = reporter;
        await RunAsync(options);

        var lines = reporter.VerboseLines;
        Assert.Contains(lines, l => l.StartsWith($"DNS: {host.Target.HostName}. A:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"TLS: {host.Target.HostName}:{host.Target.Port} [", StringComparison.Ordinal) && l.Contains("presents 3 1 1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_reload_stops_the_run_with_both_records_published_and_the_next_run_resumes()
    {
        await using var host = await _world.StartHostAsync();
        var ex = await Assert.ThrowsAsync<RolloverException>(() => RunAsync(host.Options(_ => Task.FromResult(new ReloadResult(3, "Job for nginx.service failed.")))));
        Assert.Equal(RolloverFailure.ReloadFailed, ex.Failure);
        Assert.Contains("status 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Job for nginx.service failed.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { host.NextRecord, host.OldRecord }.OrderBy(r => r.ToString()), (await host.PublishedAsync()).OrderBy(r => r.ToString()));

        var resumed = await RunAsync(host.Options());
        Assert.Equal("Plan:Done | Publish:AlreadyDone | Wait:Done | Reload:Done | Verify:Done | Retire:Done | Complete:Done", resumed.Summary);
        Assert.Equal(host.NextRecord, Assert.Single(await host.PublishedAsync()));
    }

    [Fact]
    public async Task A_server_that_still_presents_the_old_key_after_the_reload_keeps_every_record_and_the_error_says_what_it_presents()
    {
        await using var host = await _world.StartHostAsync();
        var ex = await Assert.ThrowsAsync<RolloverException>(() => RunAsync(host.Options(host.ReloadWithoutSwapAsync)));
        Assert.Equal(RolloverFailure.VerificationFailed, ex.Failure);
        Assert.Contains($"{host.Name}:443 [{host.Address}]", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"presents {host.OldRecord.ToShortString()}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not the staged key", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await host.PublishedAsync()).Count);
        Assert.Contains(host.OldRecord, await host.PublishedAsync());
    }

    [Fact]
    public async Task Two_rollovers_at_once_never_interleave_the_second_is_refused_and_changes_nothing()
    {
        await using var host = await _world.StartHostAsync();
        var firstStarted = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = RunAsync(host.Options(async ct =>
        {
            firstStarted.TrySetResult();
            await release.Task.WaitAsync(ct);
            return await host.SwapAsync(ct);
        }));
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var second = await Assert.ThrowsAsync<RolloverException>(() => RunAsync(host.Options()));
        Assert.Equal(RolloverFailure.Locked, second.Failure);
        release.SetResult();
        var done = await first;
        Assert.Equal("Complete:Done", $"{done.Steps[^1].Step}:{done.Steps[^1].Status}");
        Assert.Equal(1, host.Reloads);
        Assert.Equal(host.NextRecord, Assert.Single(await host.PublishedAsync()));
    }

    [Theory]
    [InlineData(RolloverStepKind.Publish)]
    [InlineData(RolloverStepKind.Wait)]
    [InlineData(RolloverStepKind.Reload)]
    [InlineData(RolloverStepKind.Verify)]
    public async Task A_run_interrupted_after_a_step_is_resumed_by_the_next_run_from_what_DNS_and_the_servers_show(RolloverStepKind interruptAfter)
    {
        await using var host = await _world.StartHostAsync();
        using var interrupt = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(host.Options(), step =>
        {
            if (step.Step == interruptAfter)
            {
                interrupt.Cancel();
            }
        }, interrupt.Token));

        var resumed = await RunAsync(host.Options());
        Assert.Equal("Complete:Done", $"{resumed.Steps[^1].Step}:{resumed.Steps[^1].Status}");
        Assert.Equal(RolloverStepStatus.AlreadyDone, resumed.Steps.Single(s => s.Step == RolloverStepKind.Publish).Status);
        Assert.Equal(host.NextRecord, Assert.Single(await host.PublishedAsync()));
        Assert.True(await host.PresentsAsync(host.Next));
        Assert.Equal(1, host.Reloads);
    }

    [Fact]
    public async Task A_staged_record_published_ahead_current_plus_next_needs_no_cache_wait_and_already_exists_is_not_an_error()
    {
        await using var host = await _world.StartHostAsync();
        using (var provider = _world.Provider())
        {
            await provider.AddAsync(host.Target.OwnerName, host.NextRecord, 2, CancellationToken.None);
        }

        // Wait until every authoritative server has it, as it would weeks after publication.
        await Task.Delay(1000);
        var options = host.Options();
        options.CacheWait = TimeSpan.FromSeconds(30); // would fail the test's time budget if it were waited
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sink = await RunAsync(options);
        Assert.Equal("Plan:Done | Publish:AlreadyDone | Wait:AlreadyDone | Reload:Done | Verify:Done | Retire:Done | Complete:Done", sink.Summary);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task The_record_the_servers_present_is_never_retired_even_when_the_staged_key_is_wrong()
    {
        // The operator mistake of the original script: the record that gets deleted is the one in use. Here the
        // "staged" key is one no server will ever present, and the reload changes nothing.
        await using var host = await _world.StartHostAsync();
        var options = host.Options(host.ReloadWithoutSwapAsync);
        await Assert.ThrowsAsync<RolloverException>(() => RunAsync(options));
        Assert.Contains(host.OldRecord, await host.PublishedAsync());
    }
}
