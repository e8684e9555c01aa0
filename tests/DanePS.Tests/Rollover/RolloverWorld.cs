using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Providers;
using DanePS.Engine.Providers.Rfc2136;
using DanePS.Engine.Rollover;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Dns;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Providers;
using Xunit;

namespace DanePS.Tests.Rollover;

/// <summary>
/// A signed zone roll.test on Knot that takes TSIG updates (with a real secondary), validated by Unbound, and one
/// loopback address per host h1..h12.roll.test. Each test starts its own nginx on its host's address with an "old"
/// certificate and publishes the old key's record; the reload step swaps nginx's files for the staged certificate.
/// </summary>
public sealed class RolloverWorld : IAsyncLifetime
{
    public const string Zone = "roll.test";
    public const int Hosts = 12;
    private int _nextHost;

    public DnsTestEnvironment Dns { get; private set; } = null!;

    public IReadOnlyList<IPAddress> Addresses { get; } = LoopbackEndpoints.NextAddresses(Hosts);

    public async Task InitializeAsync()
    {
        var setup = new DnsTestSetup();
        var zone = new TestZone(Zone, ZoneSecurity.Signed) { AcceptsUpdates = true, HasSecondary = true, DefaultTtl = 2, NegativeTtl = 2 };
        for (var i = 0; i < Hosts; i++)
        {
            zone.Records.Add($"h{i + 1} IN A {Addresses[i]}");
        }

        setup.Zones.Add(zone);
        Dns = await DnsTestEnvironment.StartAsync(setup);
    }

    public async Task DisposeAsync() => await Dns.DisposeAsync();

    public Rfc2136TlsaProvider Provider() => new(new Rfc2136ProviderOptions
    {
        Key = TsigKey.FromBase64(Dns.UpdateKeyName, Dns.UpdateKeyAlgorithm, CloudflareTlsaProviderTests.Secure(Dns.UpdateKeySecret)),
        PrimaryServer = new IPEndPoint(Dns.PrimaryServerAddress, 53),
    });

    /// <summary>The next unused host of the zone: its name and its (only) address.</summary>
    /// <summary>A rollover of <paramref name="target"/> to <paramref name="next"/> through this world's DNS, with short test waits.</summary>
    public TlsaRolloverOptions RolloverOptions(RolloverTarget target, TlsIdentity next, Func<CancellationToken, Task<ReloadResult>> reload, string stateDirectory, TimeSpan verifySettleTime, TlsaProvider? provider = null)
    {
        var options = new TlsaRolloverOptions
        {
            Provider = provider ?? Provider(),
            StagedSpki = DanePS.Engine.Certificates.CertificateReader.GetSubjectPublicKeyInfo(next.Leaf),
            StagedCertificate = next.Leaf,
            Reload = reload,
            PollInterval = TimeSpan.FromMilliseconds(200),
            PropagationTimeout = TimeSpan.FromSeconds(30),
            Ttl = 2,
            VerifySettleTime = verifySettleTime,
            StateDirectory = stateDirectory,
        };
        options.Resolver.Servers.Add(Dns.ResolverEndPoint);
        options.Targets.Add(target);
        return options;
    }

    public (string Name, IPAddress Address) NextHost()
    {
        var index = Interlocked.Increment(ref _nextHost);
        return ($"h{index}.{Zone}", Addresses[index - 1]);
    }

    /// <summary>A fresh host with nginx presenting its old certificate, and the old key's record published.</summary>
    public async Task<RolloverHost> StartHostAsync()
    {
        var index = Interlocked.Increment(ref _nextHost);
        var name = $"h{index}.{Zone}";
        var old = TlsIdentity.Issue(Fixtures.Pki.TestKeyType.Ecdsa, false, name);
        var next = TlsIdentity.Issue(Fixtures.Pki.TestKeyType.Ecdsa, false, name);
        var nginx = await NginxTestServer.StartAsync(new[] { new NginxServerBlock(new[] { new IPEndPoint(Addresses[index - 1], 443) }, old) });
        var host = new RolloverHost(this, name, Addresses[index - 1], nginx, old, next);
        using var provider = Provider();
        await provider.AddAsync(host.Target.OwnerName, host.OldRecord, 2, CancellationToken.None);
        return host;
    }
}

public sealed class RolloverHost : IAsyncDisposable
{
    private readonly RolloverWorld _world;

    public RolloverHost(RolloverWorld world, string name, IPAddress address, NginxTestServer nginx, TlsIdentity old, TlsIdentity next)
    {
        _world = world;
        Name = name;
        Address = address;
        Nginx = nginx;
        Old = old;
        Next = next;
        Target = new RolloverTarget(name, 443);
        StateDirectory = Directory.CreateTempSubdirectory("daneps-rollover-").FullName;
    }

    public string Name { get; }

    public IPAddress Address { get; }

    public NginxTestServer Nginx { get; }

    public TlsIdentity Old { get; }

    public TlsIdentity Next { get; }

    public RolloverTarget Target { get; }

    public string StateDirectory { get; }

    public TlsaRecord OldRecord => Record(Old);

    public TlsaRecord NextRecord => Record(Next);

    public int Reloads { get; private set; }

    public static TlsaRecord Record(TlsIdentity identity) =>
        TlsaRecordFactory.FromCertificate(identity.Leaf, TlsaUsage.DaneEe, TlsaSelector.Spki, TlsaMatchingType.Sha256);

    public TlsaRolloverOptions Options(Func<CancellationToken, Task<ReloadResult>>? reload = null, TlsaProvider? provider = null) =>
        _world.RolloverOptions(Target, Next, reload ?? SwapAsync, StateDirectory, TimeSpan.FromSeconds(3), provider);

    /// <summary>The reload step: nginx's files replaced by the staged certificate, then SIGHUP, then wait until it presents it.</summary>
    public async Task<ReloadResult> SwapAsync(CancellationToken ct)
    {
        Reloads++;
        File.WriteAllText(Path.Combine(Nginx.WorkDirectory, "block0-tls0-chain.pem"), Next.ChainPem);
        File.WriteAllText(Path.Combine(Nginx.WorkDirectory, "block0-tls0-key.pem"), Next.KeyPem);
        return await SignalAsync(expectNext: true, ct);
    }

    /// <summary>A reload that reloads but leaves the old files: the server goes on presenting the old key.</summary>
    public Task<ReloadResult> ReloadWithoutSwapAsync(CancellationToken ct)
    {
        Reloads++;
        return SignalAsync(expectNext: false, ct);
    }

    private async Task<ReloadResult> SignalAsync(bool expectNext, CancellationToken ct)
    {
        using (var kill = Process.Start("kill", new[] { "-HUP", Nginx.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            await kill.WaitForExitAsync(ct);
        }

        // As systemctl reload does, return once the new workers serve; nginx's old ones may take a moment to stop.
        for (int i = 0, inARow = 0; expectNext && i < 200 && inARow < 5; i++)
        {
            inARow = await PresentsAsync(Next, ct) ? inARow + 1 : 0;
            await Task.Delay(20, ct);
        }

        return new ReloadResult(0, "nginx reloaded");
    }

    public async Task<bool> PresentsAsync(TlsIdentity identity, CancellationToken ct = default)
    {
        try
        {
            var probe = await TlsProbe.ProbeAsync(Name, Address, 443, StartTlsProtocol.ImplicitTls, new TlsProbeOptions(), ct);
            return probe.PresentedChain.Count > 0 && probe.PresentedChain[0].RawData.AsSpan().SequenceEqual(identity.Leaf.RawData);
        }
        catch (TlsProbeException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<TlsaRecord>> PublishedAsync()
    {
        using var provider = _world.Provider();
        return (await provider.GetAsync(Target.OwnerName, CancellationToken.None)).Select(p => p.Record).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Nginx.DisposeAsync();
        Directory.Delete(StateDirectory, recursive: true);
    }
}

/// <summary>Collects what a rollover reports.</summary>
public sealed class CollectingSink : IRolloverSink
{
    private readonly Action<TlsaRolloverStep>? _onStep;

    public CollectingSink(Action<TlsaRolloverStep>? onStep = null) => _onStep = onStep;

    public List<TlsaRolloverStep> Steps { get; } = new();

    public List<string> ProgressLines { get; } = new();

    public void StepEnded(TlsaRolloverStep report)
    {
        lock (Steps)
        {
            Steps.Add(report);
        }

        _onStep?.Invoke(report);
    }

    public void Progress(string activity, string status, int percent)
    {
        lock (ProgressLines)
        {
            ProgressLines.Add($"{activity}: {status}");
        }
    }

    public string Summary => string.Join(" | ", Steps.Select(s => $"{s.Step}:{s.Status}"));
}
