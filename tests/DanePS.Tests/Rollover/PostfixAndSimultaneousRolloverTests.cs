using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Rollover;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Servers;
using Xunit;

namespace DanePS.Tests.Rollover;

/// <summary>
/// The whole rollover against a real Postfix (SMTP with STARTTLS on port 25) whose files the reload step swaps, and
/// two rollovers of the same host released at the same instant.
/// </summary>
public sealed class PostfixAndSimultaneousRolloverTests : IClassFixture<RolloverWorld>
{
    private readonly RolloverWorld _world;

    public PostfixAndSimultaneousRolloverTests(RolloverWorld world) => _world = world;

    [Fact]
    public async Task A_whole_rollover_of_a_Postfix_mail_host_on_port_25_swaps_its_certificate_checks_it_over_STARTTLS_and_retires_the_old_record()
    {
        var (name, address) = _world.NextHost();
        var old = Issue(name);
        var next = Issue(name);
        var target = new RolloverTarget(name, 25);
        await using var postfix = await StartPostfixAsync(name, address, old, target);

        Assert.True(await PresentsOverStartTlsAsync(name, address, old));
        var reloads = 0;
        var stateDirectory = Directory.CreateTempSubdirectory("daneps-rollover-").FullName;
        try
        {
            // The reload step of a mail host: certbot's new files where main.cf points, then "postfix reload".
            async Task<ReloadResult> SwapPostfixAsync(CancellationToken ct)
            {
                reloads++;
                File.WriteAllText(Path.Combine(postfix.WorkDirectory, "tls0-chain.pem"), next.ChainPem);
                File.WriteAllText(Path.Combine(postfix.WorkDirectory, "tls0-key.pem"), next.KeyPem);
                var (status, output) = await PostfixAsync(postfix, "reload", ct);
                return new ReloadResult(status, output);
            }

            var options = Options(target, next, SwapPostfixAsync, stateDirectory);
            var sink = new CollectingSink();
            await new TlsaRollover(options).RunAsync(sink, CancellationToken.None);

            Assert.Equal("Plan:Done | Publish:Done | Wait:Done | Reload:Done | Verify:Done | Retire:Done | Complete:Done", sink.Summary);
            Assert.Equal(1, reloads);
            Assert.True(await PresentsOverStartTlsAsync(name, address, next), "Postfix does not present the staged certificate over STARTTLS on port 25.");
            var retire = sink.Steps.Single(s => s.Step == RolloverStepKind.Retire);
            Assert.Equal(RolloverHost.Record(old), Assert.Single(retire.Changes).Record);
            using (var provider = _world.Provider())
            {
                var published = await provider.GetAsync(target.OwnerName, CancellationToken.None);
                Assert.Equal(RolloverHost.Record(next), Assert.Single(published).Record);
            }

            // certbot again with --reuse-key: nothing to do, and Postfix is not reloaded.
            var again = new CollectingSink();
            await new TlsaRollover(Options(target, next, SwapPostfixAsync, stateDirectory)).RunAsync(again, CancellationToken.None);
            Assert.Equal("Plan:Done | Complete:NothingToDo", again.Summary);
            Assert.Equal(1, reloads);
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_Postfix_reload_that_leaves_the_old_files_keeps_every_record_and_the_error_names_what_port_25_presents()
    {
        var (name, address) = _world.NextHost();
        var old = Issue(name);
        var next = Issue(name);
        var target = new RolloverTarget(name, 25);
        await using var postfix = await StartPostfixAsync(name, address, old, target);

        var stateDirectory = Directory.CreateTempSubdirectory("daneps-rollover-").FullName;
        try
        {
            var options = Options(target, next, async ct =>
            {
                var (status, output) = await PostfixAsync(postfix, "reload", ct);
                return new ReloadResult(status, output);
            }, stateDirectory);
            var ex = await Assert.ThrowsAsync<RolloverException>(() => new TlsaRollover(options).RunAsync(new CollectingSink(), CancellationToken.None));
            Assert.Equal(RolloverFailure.VerificationFailed, ex.Failure);
            Assert.Contains($"{name}:25 [{address}]", ex.Message, StringComparison.Ordinal);
            Assert.Contains($"presents {RolloverHost.Record(old).ToShortString()}", ex.Message, StringComparison.Ordinal);
            using var provider = _world.Provider();
            var published = (await provider.GetAsync(target.OwnerName, CancellationToken.None)).Select(p => p.Record).ToList();
            Assert.Equal(2, published.Count);
            Assert.Contains(RolloverHost.Record(old), published);
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_rollovers_released_at_the_same_instant_never_interleave_one_proceeds_the_other_is_refused_or_waits(bool waitForLock)
    {
        await using var host = await _world.StartHostAsync();
        var log = new List<(int Run, TlsaRolloverStep Step)>();
        var sinks = new CollectingSink[2];
        var failures = new Exception?[2];
        using var barrier = new Barrier(2);

        Task Start(int run) => Task.Factory.StartNew(
            () =>
            {
                var options = host.Options();
                options.LockTimeout = waitForLock ? TimeSpan.FromSeconds(120) : TimeSpan.Zero;
                sinks[run] = new CollectingSink(step =>
                {
                    lock (log)
                    {
                        log.Add((run, step));
                    }
                });
                var rollover = new TlsaRollover(options);

                // Both threads leave the barrier together and go straight for the lock.
                barrier.SignalAndWait();
                try
                {
                    rollover.RunAsync(sinks[run], CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (RolloverException ex)
                {
                    failures[run] = ex;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        await Task.WhenAll(Start(0), Start(1)).WaitAsync(TimeSpan.FromMinutes(3));

        // Whichever run got the lock did the whole rollover, alone.
        var winner = log[0].Run;
        var loser = 1 - winner;
        Assert.Null(failures[winner]);
        Assert.Equal("Plan:Done | Publish:Done | Wait:Done | Reload:Done | Verify:Done | Retire:Done | Complete:Done", sinks[winner].Summary);
        var firstOfLoser = log.FindIndex(e => e.Run == loser);
        var lastOfWinner = log.FindLastIndex(e => e.Run == winner);
        Assert.True(firstOfLoser < 0 || firstOfLoser > lastOfWinner, "The runs interleaved: " + string.Join(", ", log.Select(e => $"{e.Run}:{e.Step.Step}:{e.Step.Status}")));
        if (waitForLock)
        {
            // The other waited for the lock, then found from DNS and the server that nothing was left to do.
            Assert.Null(failures[loser]);
            Assert.Equal("Plan:Done | Complete:NothingToDo", sinks[loser].Summary);
        }
        else
        {
            var refused = Assert.IsType<RolloverException>(failures[loser]);
            Assert.Equal(RolloverFailure.Locked, refused.Failure);
            Assert.Empty(sinks[loser].Steps);
        }

        Assert.Equal(1, host.Reloads);
        Assert.Equal(host.NextRecord, Assert.Single(await host.PublishedAsync()));
        Assert.True(await host.PresentsAsync(host.Next));
    }

    private static TlsIdentity Issue(string name) => TlsIdentity.Issue(Fixtures.Pki.TestKeyType.Ecdsa, false, name);

    /// <summary>A Postfix on port 25 of the host presenting <paramref name="old"/>, whose record DNS already publishes.</summary>
    private async Task<PostfixTestServer> StartPostfixAsync(string name, IPAddress address, TlsIdentity old, RolloverTarget target)
    {
        var postfixOptions = new PostfixTestServerOptions { HostName = name };
        postfixOptions.Endpoints.Add(new IPEndPoint(address, 25));
        postfixOptions.Identities.Add(old);
        var postfix = await PostfixTestServer.StartAsync(postfixOptions);
        using var provider = _world.Provider();
        await provider.AddAsync(target.OwnerName, RolloverHost.Record(old), 2, CancellationToken.None);
        return postfix;
    }

    private TlsaRolloverOptions Options(RolloverTarget target, TlsIdentity next, Func<CancellationToken, Task<ReloadResult>> reload, string stateDirectory) =>
        _world.RolloverOptions(target, next, reload, stateDirectory, TimeSpan.FromSeconds(5));

    private static async Task<(int Status, string Output)> PostfixAsync(PostfixTestServer postfix, string command, CancellationToken ct)
    {
        var start = new ProcessStartInfo("/usr/sbin/postfix") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(postfix.WorkDirectory, "conf"));
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await output) + (await error));
    }

    private static async Task<bool> PresentsOverStartTlsAsync(string name, IPAddress address, TlsIdentity identity)
    {
        var probe = await TlsProbe.ProbeAsync(name, address, 25, StartTlsProtocol.Smtp, new TlsProbeOptions(), CancellationToken.None);
        return probe.PresentedChain.Count > 0 && probe.PresentedChain[0].RawData.AsSpan().SequenceEqual(identity.Leaf.RawData);
    }
}
