using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>
/// A private, DNSSEC-signed DNS tree on loopback with a validating resolver in front of it, for tests that query DNS
/// exactly as a DANE client does.
/// <list type="bullet">
/// <item>A private root zone "." (signed, ECDSAP256SHA256) served by knotd on <see cref="RootServerAddress"/>:53; it
/// delegates to every top test zone with NS, glue and, for signed zones, a DS. Unsigned zones get no DS (provably insecure).</item>
/// <item>The test zones, pre-signed by dnssec-signzone, served by knotd on <see cref="PrimaryServerAddress"/>:53
/// (<c>ns1.&lt;zone&gt;</c>); zones with a secondary also by a second knotd on <see cref="SecondaryServerAddress"/>:53
/// (<c>ns2.&lt;zone&gt;</c>).</item>
/// <item>Unbound on <see cref="ResolverEndPoint"/>, validating with the private root's DS as its only trust anchor and
/// root hints naming only the private root server, so no query ever leaves this environment's loopback addresses.</item>
/// </list>
/// Every instance takes its own block 127.53.N.0/24 (see <see cref="LoopbackAddressBlock"/>), so environments run in
/// parallel, within a process and across processes. Unbound caps UDP answers at 1232 bytes (edns-buffer-size and
/// max-udp-size): a larger answer comes back with TC, and a client must retry over TCP (DnsClient: UseTcpFallback,
/// on by default; dig: its default, or +tcp). Unbound serves the original TTLs (serve-original-ttl), so the TTL a test
/// wrote is the TTL a client sees, however often it asks.
/// </summary>
public sealed partial class DnsTestEnvironment : IAsyncDisposable
{
    private const int RootHost = 1;
    private const int PrimaryHost = 2;
    private const int SecondaryHost = 3;
    private const int ResolverHost = 10;
    private const string KeepEnvironmentVariable = "DANEPS_KEEP_DNS_FIXTURE";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(300);

    private readonly DnsTestSetup setup;
    private readonly IReadOnlyList<TestZone> zones;
    private readonly List<ServerProcess> servers = [];
    private readonly Dictionary<string, ZoneKeys> keys = new(StringComparer.Ordinal);
    private LoopbackAddressBlock? block;
    private int disposed;

    private DnsTestEnvironment(DnsTestSetup setup)
    {
        this.setup = setup;
        zones = setup.Zones.ToList();
    }

    /// <summary>Unbound, the validating resolver: query it as a DANE client would.</summary>
    public IPEndPoint ResolverEndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// A second Unbound, recursive but not validating (module-config "iterator", no trust anchor), with the same root
    /// hints: it hands over answers and their RRSIGs as the servers give them, bogus ones included, as most ISP,
    /// corporate and Windows resolvers do. For DanePS's own (local) validation.
    /// </summary>
    public IPEndPoint NonValidatingResolverEndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The knotd that serves the private root zone (port 53).</summary>
    public IPAddress RootServerAddress => Block[RootHost];

    /// <summary>The knotd that serves every test zone as <c>ns1.&lt;zone&gt;</c> (port 53).</summary>
    public IPAddress PrimaryServerAddress => Block[PrimaryHost];

    /// <summary>The knotd that serves zones with a secondary as <c>ns2.&lt;zone&gt;</c> (port 53), stale ones in their older version.</summary>
    public IPAddress SecondaryServerAddress => Block[SecondaryHost];

    /// <summary>All authoritative server addresses of this environment (each listens on port 53): root, primary, and secondary when one runs.</summary>
    public IReadOnlyList<IPAddress> AuthoritativeAddresses { get; private set; } = [];

    /// <summary>The trust anchor Unbound uses: the private root's DS, e.g. <c>. 3600 IN DS 12345 13 2 ABCD…</c>.</summary>
    public string TrustAnchor => RootKeys.DsRecord(3600);

    /// <summary>The private root's KSK as a DNSKEY record in presentation format.</summary>
    public string RootDnskey => RootKeys.KskDnskey;

    /// <summary>Key tag of the private root's KSK.</summary>
    public int RootKeyTag => RootKeys.KeyTag;

    /// <summary>The zones this environment serves, as set up.</summary>
    public IReadOnlyList<TestZone> Zones => zones;

    /// <summary>The environment's folder: zone sources and signed files, keys, server configs, pid files and logs.</summary>
    public string WorkingFolder => Block.WorkingFolder;

    /// <summary>Wall-clock time <see cref="StartAsync"/> took, from the first key to the resolver validating the root.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Unbound's log (with val-log-level 2 it says why an answer is bogus).</summary>
    public string ResolverLog => ReadIfExists(Path.Combine(WorkingFolder, "unbound.log"));

    private LoopbackAddressBlock Block => block ?? throw new InvalidOperationException("The environment has no address block (start failed).");

    private ZoneKeys RootKeys => keys[string.Empty];

    /// <summary>
    /// Builds, signs and serves the zones of <paramref name="setup"/>, and returns once the resolver validates the
    /// private root and every zone answers with its expected security. Fails fast with the missing Debian package, the
    /// signing tool's errors or the server's own log.
    /// </summary>
    public static Task<DnsTestEnvironment> StartAsync(DnsTestSetup setup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setup);

        EnsureThreadPoolHeadroom();

        // Off the caller's synchronization context: xUnit's runs continuations on a couple of threads shared with
        // every running test, and a start that hops between a dozen child processes should not queue behind them.
        return Task.Run(() => StartCoreAsync(setup, cancellationToken), cancellationToken);
    }

    private static async Task<DnsTestEnvironment> StartCoreAsync(DnsTestSetup setup, CancellationToken cancellationToken)
    {
        foreach (var tool in new[] { RequiredProgram.Knotd, RequiredProgram.Unbound, RequiredProgram.DnssecKeygen, RequiredProgram.DnssecSignzone })
        {
            tool.Locate();
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new FixtureException("The DNS test environment must run as root: its authoritative servers listen on port 53 of loopback addresses.");
        }

        Validate(setup);
        var stopwatch = Stopwatch.StartNew();
        var environment = new DnsTestEnvironment(setup);
        try
        {
            environment.block = LoopbackAddressBlock.Acquire([RootHost, PrimaryHost, SecondaryHost, ResolverHost]);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(setup.StartTimeout);
            await environment.BuildZonesAsync(timeout.Token);
            await environment.StartServersAsync(stopwatch, setup.StartTimeout, timeout.Token);
            environment.StartupTime = stopwatch.Elapsed;
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Raises the thread pool's minimum (never lowers it). The test host keeps two pool threads blocked for the whole
    /// run (vstest's message loop, xUnit's assembly runner), which on a two-core machine leaves one thread for all the
    /// process-exit, timer and socket callbacks of a start: measured starts then stalled for about a second waiting
    /// for the pool to grow. With headroom a start takes a few hundred milliseconds.
    /// </summary>
    private static void EnsureThreadPoolHeadroom()
    {
        const int Wanted = 16;
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < Wanted)
        {
            ThreadPool.SetMinThreads(Wanted, Math.Max(completionPorts, Wanted));
        }
    }

    /// <summary>The authoritative servers (port 53) of one zone: the root server for "." (or ""), else ns1 and, with a secondary, ns2.</summary>
    public IReadOnlyList<IPAddress> AuthoritativeAddressesOf(string zone)
    {
        var name = DnsName.Normalize(zone);
        if (name.Length == 0)
        {
            return [RootServerAddress];
        }

        var testZone = zones.FirstOrDefault(z => z.Name == name) ?? throw new KeyNotFoundException($"No zone '{name}' in this environment.");
        return testZone.IsServedBySecondary ? [PrimaryServerAddress, SecondaryServerAddress] : [PrimaryServerAddress];
    }

    /// <summary>Stops the servers by pid and deletes the working folder; safe after a failed or partial start, and twice.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var server in servers)
        {
            server.Stop();
        }

        if (block is not null)
        {
            // Whatever a half-finished start left running, if anything, is recorded in the folder.
            ServerProcess.StopAllRecordedIn(block.WorkingFolder);
            var keep = setup.KeepFiles || Environment.GetEnvironmentVariable(KeepEnvironmentVariable) == "1";
            if (!keep && Directory.Exists(block.WorkingFolder))
            {
                Directory.Delete(block.WorkingFolder, recursive: true);
            }

            block.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static void Validate(DnsTestSetup setup)
    {
        var duplicates = setup.Zones.GroupBy(z => z.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"Zones given twice: {string.Join(", ", duplicates)}.", nameof(setup));
        }
    }

    /// <summary>The closest enclosing zone of <paramref name="zone"/> among the test zones, else the root ("").</summary>
    private string ParentOf(string zone) =>
        zones.Select(z => z.Name)
            .Where(candidate => candidate != zone && DnsName.IsAtOrBelow(zone, candidate))
            .OrderByDescending(candidate => candidate.Length)
            .FirstOrDefault() ?? string.Empty;

    private bool IsSignedZone(string zone) =>
        zone.Length == 0 || zones.First(z => z.Name == zone).IsSigned;

    private async Task BuildZonesAsync(CancellationToken cancellationToken)
    {
        var keysFolder = Directory.CreateDirectory(Path.Combine(WorkingFolder, "keys")).FullName;
        var zonesFolder = Directory.CreateDirectory(Path.Combine(WorkingFolder, "zones")).FullName;

        // All keys at once (two per signed zone), then every zone at once: a parent's DS is computed from the child's
        // key, so no zone waits for another's signing.
        var signedZones = zones.Where(z => z.IsSigned).ToList();
        var generated = await Task.WhenAll(signedZones
            .Select(zone => ZoneKeys.GenerateAsync(zone.Name, keysFolder, cancellationToken, zone.Algorithm, revokeKsk: zone.Defect == DnssecDefect.RevokedKey))
            .Prepend(ZoneKeys.GenerateAsync(string.Empty, keysFolder, cancellationToken)));
        foreach (var zoneKeys in generated)
        {
            keys[zoneKeys.Zone] = zoneKeys;
        }

        await GenerateDefectKeysAsync(cancellationToken); // DnsTestEnvironment.Defects.cs

        var work = new List<Task>
        {
            WriteAndSignAsync(string.Empty, RootZoneSource(), Path.Combine(zonesFolder, "root"), null, false, cancellationToken),
        };
        foreach (var zone in zones)
        {
            work.Add(WriteAndSignAsync(zone.Name, ZoneSource(zone, zone.Records, TestZone.PrimarySerial), Path.Combine(zonesFolder, zone.Name), zone, zone.Security == ZoneSecurity.Bogus, cancellationToken));
            if (zone.StaleSecondaryRecords.Count > 0)
            {
                work.Add(WriteAndSignAsync(zone.Name, ZoneSource(zone, zone.StaleSecondaryRecords, TestZone.StaleSerial), Path.Combine(zonesFolder, zone.Name + ".stale"), zone, zone.Security == ZoneSecurity.Bogus, cancellationToken));
            }
        }

        await Task.WhenAll(work);
    }

    /// <summary>Writes <c>&lt;path&gt;.zone</c>, and for signed zones signs it into <c>&lt;path&gt;.signed</c>.</summary>
    private async Task WriteAndSignAsync(string zone, string source, string path, TestZone? testZone, bool breakSignatures, CancellationToken cancellationToken)
    {
        var sourceFile = path + ".zone";
        await File.WriteAllTextAsync(sourceFile, source, cancellationToken);
        if (!IsSignedZone(zone))
        {
            return;
        }

        var signedFile = path + ".signed";
        var (inception, validity) = SignatureTimes(testZone);
        await ZoneSigning.SignAsync(sourceFile, signedFile, zone, keys[zone], validity, testZone?.UseNsec3 ?? false, cancellationToken, inception, skipVerification: Has(testZone, DnssecDefect.RevokedKey));
        if (testZone is { Security: ZoneSecurity.Bogus, Defect: not null })
        {
            await ApplyDefectAsync(testZone, signedFile, cancellationToken); // DnsTestEnvironment.Defects.cs
        }
        else if (breakSignatures && ZoneSigning.BreakSignatures(signedFile, [$"ns1.{zone}", $"ns2.{zone}"]) == 0)
        {
            throw new FixtureException($"Bogus zone '{zone}' has no records of its own whose signatures could be broken; add some to Records.");
        }
    }

    private string RootZoneSource()
    {
        var text = new StringBuilder();
        text.AppendLine("$ORIGIN .")
            .AppendLine("$TTL 3600")
            .AppendLine(Invariant($". 86400 IN SOA a.root-servers.net. hostmaster.root-servers.net. {TestZone.PrimarySerial} 1800 900 604800 300"))
            .AppendLine(". 86400 IN NS a.root-servers.net.")
            .AppendLine(Invariant($"a.root-servers.net. 86400 IN A {RootServerAddress}"));
        AppendDelegations(text, string.Empty);
        AppendKeys(text, string.Empty);
        return text.ToString();
    }

    private string ZoneSource(TestZone zone, IEnumerable<string> records, uint serial)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"$ORIGIN {zone.Fqdn}"))
            .AppendLine(Invariant($"$TTL {zone.DefaultTtl}"))
            .AppendLine(Invariant($"@ IN SOA ns1.{zone.Fqdn} hostmaster.{zone.Fqdn} {serial} 3600 600 86400 {zone.NegativeTtl}"));
        foreach (var (nameServer, address) in NameServersOf(zone))
        {
            text.AppendLine(Invariant($"@ IN NS {nameServer}"))
                .AppendLine(Invariant($"{nameServer} IN A {address}"));
        }

        text.AppendLine("; records of the test");
        foreach (var record in records)
        {
            text.AppendLine(record);
        }

        // A test's records may change $ORIGIN or $TTL; what follows is the fixture's again.
        text.AppendLine(Invariant($"$ORIGIN {zone.Fqdn}")).AppendLine(Invariant($"$TTL {zone.DefaultTtl}"));
        AppendDelegations(text, zone.Name);
        AppendKeys(text, zone.Name);
        return text.ToString();
    }

    private IEnumerable<(string NameServer, IPAddress Address)> NameServersOf(TestZone zone)
    {
        yield return ($"ns1.{zone.Fqdn}", PrimaryServerAddress);
        if (zone.IsServedBySecondary)
        {
            yield return ($"ns2.{zone.Fqdn}", SecondaryServerAddress);
        }
    }

    private void AppendDelegations(StringBuilder text, string parent)
    {
        foreach (var child in zones.Where(z => ParentOf(z.Name) == parent))
        {
            text.AppendLine(Invariant($"; delegation of {child.Name} ({child.Security})"));
            foreach (var (nameServer, address) in NameServersOf(child))
            {
                text.AppendLine(Invariant($"{child.Fqdn} 3600 IN NS {nameServer}"))
                    .AppendLine(Invariant($"{nameServer} 3600 IN A {address}"));
            }

            // An unsigned child gets no DS: that is what makes it provably insecure.
            if (child.IsSigned && IsSignedZone(parent))
            {
                AppendDs(text, child); // DnsTestEnvironment.Defects.cs: a defect may change or add a DS
            }
        }
    }

    private void AppendKeys(StringBuilder text, string zone)
    {
        if (keys.TryGetValue(zone, out var zoneKeys))
        {
            text.AppendLine(zoneKeys.KskDnskey).AppendLine(zoneKeys.ZskDnskey);
        }
    }

    private async Task StartServersAsync(Stopwatch stopwatch, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var zonesFolder = Path.Combine(WorkingFolder, "zones");
        string ServedFile(string zone, bool stale)
        {
            var path = Path.Combine(zonesFolder, (zone.Length == 0 ? "root" : zone) + (stale ? ".stale" : string.Empty));
            return IsSignedZone(zone) && !AcceptsUpdates(zone) ? path + ".signed" : path + ".zone";
        }

        var root = await StartKnotAsync("knot-root", RootServerAddress, [(string.Empty, ServedFile(string.Empty, false))]);
        var primary = await StartKnotAsync("knot-primary", PrimaryServerAddress, zones.Select(z => (z.Name, ServedFile(z.Name, false))).ToList());
        var secondaryZones = zones.Where(z => z.IsServedBySecondary).ToList();
        if (HasUpdatableZones)
        {
            // A secondary that transfers from the primary logs an error if it asks before the primary listens.
            await WaitForAuthoritativeAsync(primary, PrimaryServerAddress, zones.Select(z => z.Name).ToList(), stopwatch.Elapsed + startTimeout, stopwatch, cancellationToken);
        }

        var secondary = secondaryZones.Count == 0
            ? null
            : await StartKnotAsync("knot-secondary", SecondaryServerAddress, secondaryZones.Select(z => (z.Name, ServedFile(z.Name, z.StaleSecondaryRecords.Count > 0))).ToList());
        AuthoritativeAddresses = secondary is null
            ? [RootServerAddress, PrimaryServerAddress]
            : [RootServerAddress, PrimaryServerAddress, SecondaryServerAddress];

        // Unbound starts while the authoritative servers load; it asks nothing until the first query below.
        var resolverAddress = Block[ResolverHost];
        ResolverEndPoint = new IPEndPoint(resolverAddress, LoopbackAddressBlock.FreePort(resolverAddress));
        var resolver = StartUnbound("unbound", ResolverEndPoint, validating: true);
        NonValidatingResolverEndPoint = new IPEndPoint(resolverAddress, LoopbackAddressBlock.FreePort(resolverAddress));
        var plainResolver = StartUnbound("unbound-iterator", NonValidatingResolverEndPoint, validating: false);

        var deadline = stopwatch.Elapsed + startTimeout;
        var waits = new List<Task>
        {
            WaitForAuthoritativeAsync(root, RootServerAddress, [string.Empty], deadline, stopwatch, cancellationToken),
            WaitForAuthoritativeAsync(primary, PrimaryServerAddress, zones.Select(z => z.Name).ToList(), deadline, stopwatch, cancellationToken),
        };
        if (secondary is not null)
        {
            waits.Add(WaitForAuthoritativeAsync(secondary, SecondaryServerAddress, secondaryZones.Select(z => z.Name).ToList(), deadline, stopwatch, cancellationToken));
        }

        await Task.WhenAll(waits);
        await WaitForResolverAsync(resolver, deadline, stopwatch, cancellationToken);
        await WaitForPlainResolverAsync(plainResolver, deadline, stopwatch, cancellationToken);
    }

    /// <summary>Waits until the non-validating Unbound answers the root SOA (without AD: it does not validate).</summary>
    private async Task WaitForPlainResolverAsync(ServerProcess resolver, TimeSpan deadline, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (resolver.HasExited)
            {
                throw resolver.Failure(Invariant($"it exited with code {resolver.ExitCode}"));
            }

            var answer = await DnsProbe.QueryAsync(NonValidatingResolverEndPoint, ".", DnsProbe.TypeSoa, recursionDesired: true, ProbeTimeout, cancellationToken);
            if (answer is { ResponseCode: 0 })
            {
                if (answer.AuthenticData)
                {
                    throw resolver.Failure("it sets AD, yet it should not validate");
                }

                return;
            }

            if (stopwatch.Elapsed > deadline)
            {
                throw resolver.Failure(Invariant($"no answer on {NonValidatingResolverEndPoint} in time (last: {answer?.ToString() ?? "none"})"));
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    private async Task<ServerProcess> StartKnotAsync(string name, IPAddress address, IReadOnlyList<(string Zone, string File)> served)
    {
        var folder = Directory.CreateDirectory(Path.Combine(WorkingFolder, name)).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "db"));
        var pidFile = Path.Combine(folder, "knot.pid");
        var logFile = Path.Combine(folder, "knot.log");
        var config = new StringBuilder();
        config.AppendLine("server:")
            .AppendLine(Invariant($"    rundir: \"{folder}\""))
            .AppendLine(Invariant($"    pidfile: \"{pidFile}\""))
            .AppendLine(Invariant($"    listen: {address}@53"))
            .AppendLine("    udp-workers: 1")
            .AppendLine("    tcp-workers: 1")
            .AppendLine("    background-workers: 1")
            .AppendLine("database:")
            .AppendLine(Invariant($"    storage: \"{Path.Combine(folder, "db")}\""))
            .AppendLine("log:")
            .AppendLine(Invariant($"  - target: \"{logFile}\""))
            .AppendLine("    any: info");
        AppendUpdateSections(config, name); // DnsTestEnvironment.Updates.cs: TSIG key, ACLs, signing policy, transfers
        config.AppendLine("template:")
            .AppendLine("  - id: default")
            .AppendLine(Invariant($"    storage: \"{folder}\""))
            .AppendLine("    zonefile-sync: -1")
            .AppendLine("    zonefile-load: whole")
            .AppendLine("    journal-content: none")
            .AppendLine("zone:");
        foreach (var (zone, file) in served)
        {
            config.AppendLine(Invariant($"  - domain: \"{DnsName.Fqdn(zone)}\""))
                .AppendLine(Invariant($"    file: \"{file}\""));
            AppendUpdateZoneOptions(config, name, zone);
        }

        var configFile = Path.Combine(WorkingFolder, name + ".conf");
        File.WriteAllText(configFile, config.ToString());
        await ImportSigningKeysAsync(name, configFile);
        var server = ServerProcess.Start(name, RequiredProgram.Knotd, ["-c", configFile], WorkingFolder, pidFile, logFile);
        servers.Add(server);
        return server;
    }

    private ServerProcess StartUnbound(string name, IPEndPoint endPoint, bool validating)
    {
        var rootHints = Path.Combine(WorkingFolder, "root.hints");
        File.WriteAllText(rootHints, Invariant($". 3600000 IN NS a.root-servers.net.\na.root-servers.net. 3600000 IN A {RootServerAddress}\n"));
        var pidFile = Path.Combine(WorkingFolder, name + ".pid");
        var logFile = Path.Combine(WorkingFolder, name + ".log");
        var resolverAddress = endPoint.Address;
        var config = new StringBuilder();
        config.AppendLine("server:")
            .AppendLine("    verbosity: 1")
            .AppendLine("    num-threads: 1")
            .AppendLine(Invariant($"    interface: {resolverAddress}@{endPoint.Port}"))
            .AppendLine(Invariant($"    port: {endPoint.Port}"))
            // Outgoing queries leave from a loopback address, which the kernel will not route anywhere but loopback.
            .AppendLine(Invariant($"    outgoing-interface: {resolverAddress}"))
            .AppendLine("    access-control: 127.0.0.0/8 allow")
            .AppendLine("    do-ip4: yes")
            .AppendLine("    do-ip6: no")
            .AppendLine("    do-udp: yes")
            .AppendLine("    do-tcp: yes")
            .AppendLine("    so-reuseport: no")
            .AppendLine("    username: \"\"")
            .AppendLine("    chroot: \"\"")
            .AppendLine(Invariant($"    directory: \"{WorkingFolder}\""))
            .AppendLine(Invariant($"    pidfile: \"{pidFile}\""))
            .AppendLine(Invariant($"    logfile: \"{logFile}\""))
            .AppendLine("    use-syslog: no")
            .AppendLine("    log-time-ascii: yes")
            .AppendLine("    log-servfail: yes")
            .AppendLine("    val-log-level: 2")
            .AppendLine("    do-not-query-localhost: no")
            .AppendLine(validating ? "    module-config: \"validator iterator\"" : "    module-config: \"iterator\"")
            .AppendLine(Invariant($"    root-hints: \"{rootHints}\""))
            .AppendLine(validating ? Invariant($"    trust-anchor: \"{RootKeys.DsRecord(3600)}\"") : "    # no trust anchor: this one does not validate")
            // RFC 6761 makes .test (and others) local zones by default; ours are real delegations.
            .AppendLine("    local-zone: \"test.\" nodefault")
            .AppendLine("    serve-original-ttl: yes")
            .AppendLine("    edns-buffer-size: 1232")
            .AppendLine("    max-udp-size: 1232")
            .AppendLine("    prefetch: no")
            .AppendLine("    msg-cache-size: 4m")
            .AppendLine("    rrset-cache-size: 8m")
            .AppendLine("    key-cache-size: 1m")
            .AppendLine("    neg-cache-size: 1m")
            // As a resolver in production is set (Debian's Unbound with libevent takes 1024 queries per thread): a
            // check of many endpoints asks A, AAAA and TLSA at once, and a lower cap makes Unbound drop queries,
            // which then wait out the client's timeout.
            .AppendLine("    outgoing-range: 256")
            .AppendLine("    num-queries-per-thread: 1024")
            .AppendLine("remote-control:")
            .AppendLine("    control-enable: no");
        var configFile = Path.Combine(WorkingFolder, name + ".conf");
        File.WriteAllText(configFile, config.ToString());
        var server = ServerProcess.Start(name, RequiredProgram.Unbound, ["-d", "-c", configFile], WorkingFolder, pidFile, logFile);
        servers.Add(server);
        return server;
    }

    /// <summary>Waits until the server answers authoritatively for each zone; fails at once if it exits or logs an error.</summary>
    private static async Task WaitForAuthoritativeAsync(ServerProcess server, IPAddress address, IReadOnlyList<string> servedZones, TimeSpan deadline, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var endPoint = new IPEndPoint(address, 53);
        foreach (var zone in servedZones)
        {
            DnsProbeAnswer? last = null;
            while (true)
            {
                if (server.HasExited)
                {
                    throw server.Failure(Invariant($"it exited with code {server.ExitCode}"));
                }

                if (LoggedError(ReadIfExists(server.LogFile)))
                {
                    throw server.Failure("it logged an error");
                }

                last = await DnsProbe.QueryAsync(endPoint, DnsName.Fqdn(zone), DnsProbe.TypeSoa, recursionDesired: false, ProbeTimeout, cancellationToken);
                if (last is { ResponseCode: 0, Authoritative: true, AnswerCount: > 0 })
                {
                    break;
                }

                if (stopwatch.Elapsed > deadline)
                {
                    throw server.Failure(Invariant($"zone '{DnsName.Fqdn(zone)}' not served on {endPoint} in time (last answer: {last?.ToString() ?? "none"})"));
                }

                await Task.Delay(10, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Waits until Unbound validates the private root, then checks that every zone resolves with the security it was
    /// set up with, so a broken chain of trust fails here, with Unbound's log, rather than in some later test.
    /// </summary>
    private async Task WaitForResolverAsync(ServerProcess resolver, TimeSpan deadline, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        DnsProbeAnswer? answer;
        while (true)
        {
            if (resolver.HasExited)
            {
                throw resolver.Failure(Invariant($"it exited with code {resolver.ExitCode}"));
            }

            answer = await DnsProbe.QueryAsync(ResolverEndPoint, ".", DnsProbe.TypeSoa, recursionDesired: true, ProbeTimeout, cancellationToken);
            if (answer is not null)
            {
                break;
            }

            if (stopwatch.Elapsed > deadline)
            {
                throw resolver.Failure(Invariant($"no answer on {ResolverEndPoint} in time"));
            }

            await Task.Delay(10, cancellationToken);
        }

        if (answer is not { ResponseCode: 0, AuthenticData: true })
        {
            throw resolver.Failure(Invariant($"it does not validate the private root: '. SOA' gave {answer}"));
        }

        foreach (var zone in zones)
        {
            var expired = zone.IsWhollyBogus;
            var zoneAnswer = await DnsProbe.QueryAsync(ResolverEndPoint, zone.Fqdn, DnsProbe.TypeSoa, recursionDesired: true, TimeSpan.FromSeconds(3), cancellationToken);
            var asExpected = expired
                ? zoneAnswer is { ResponseCode: 2 }
                : zoneAnswer is { ResponseCode: 0 } && zoneAnswer.AuthenticData == (zone.Security != ZoneSecurity.Unsigned && IsChainSigned(zone.Name));
            if (!asExpected)
            {
                throw resolver.Failure(Invariant($"zone '{zone.Fqdn}' ({zone.Security}) does not resolve as set up: its SOA gave {zoneAnswer?.ToString() ?? "no answer"}"));
            }
        }
    }

    /// <summary>Whether every zone from the root down to <paramref name="zone"/> is signed, so its answers can be secure.</summary>
    private bool IsChainSigned(string zone)
    {
        for (var name = zone; name.Length > 0; name = ParentOf(name))
        {
            if (!IsSignedZone(name))
            {
                return false;
            }
        }

        return true;
    }

    private static string ReadIfExists(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllText(file) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
