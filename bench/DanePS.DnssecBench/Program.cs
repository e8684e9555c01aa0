// DanePS local-validation benchmark: N TLSA lookups in one signed zone, read by DanePS's DNS reader (A, AAAA and
// TLSA per host, as Get-TlsaRecord does) through a recursive Unbound that does not validate, with DanePS validating
// every answer itself (Local), against the same lookups through a validating Unbound (Resolver). Each mode gets a
// fresh reader and a warm resolver cache (one untimed pass first), so the times compare the validation, not the
// resolvers' first walk. Run by hand as root (port 53 on 127.x addresses):
//   dotnet run -c Release --project bench/DanePS.DnssecBench -- [--hosts 500] [--throttle 64] [--rounds 9]
using System.Diagnostics;
using System.Globalization;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Dns;

var hostCount = BenchSupport.Arg(args, "--hosts", 500);
var throttle = BenchSupport.Arg(args, "--throttle", 64);
var rounds = BenchSupport.Arg(args, "--rounds", 9);
Console.WriteLine($"# DanePS local DNSSEC validation: {hostCount} TLSA lookups in one signed zone, {Environment.ProcessorCount} cores");

var zone = new TestZone("bench.test", ZoneSecurity.Signed);
for (var i = 0; i < hostCount; i++)
{
    zone.Records.Add($"h{i} A 127.0.25.{(i % 250) + 1}");
    zone.Records.Add($"_25._tcp.h{i} TLSA 3 1 1 {StandardDaneZones.Digest("h" + i)}");
}

await using var dns = await DnsTestEnvironment.StartAsync(new DnsTestSetup { Zones = { zone }, StartTimeout = TimeSpan.FromSeconds(60) });
var hosts = Enumerable.Range(0, hostCount).Select(i => $"h{i}.bench.test").ToList();

DaneDnsReader Reader(DnssecValidationMode mode)
{
    var options = new DnsResolverOptions { Validation = mode, Timeout = TimeSpan.FromSeconds(5), Retries = 2 };
    options.Servers.Add(mode == DnssecValidationMode.Local ? dns.NonValidatingResolverEndPoint : dns.ResolverEndPoint);
    options.TrustAnchors.Add(dns.TrustAnchor);
    return new DaneDnsReader(options);
}

async Task<(TimeSpan Time, int Secure, TimeSpan Cpu)> RunAsync(DnssecValidationMode mode)
{
    using var reader = Reader(mode);
    using var gate = new SemaphoreSlim(throttle);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var stopwatch = Stopwatch.StartNew();
    var sets = await Task.WhenAll(hosts.Select(async h =>
    {
        await gate.WaitAsync();
        try
        {
            return await reader.GetTlsaAsync(h, 25, "tcp", authoritative: false, CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }));
    stopwatch.Stop();
    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    return (stopwatch.Elapsed, sets.Count(s => s.Outcome == TlsaLookupOutcome.Found && s.DnssecStatus == DnssecStatus.Secure), cpu);
}

// Warm both resolvers' caches (and the JIT): one pass each, not timed.
await RunAsync(DnssecValidationMode.Local);
await RunAsync(DnssecValidationMode.Resolver);

// Local is timed twice per round: "first sight", with the process's memory of verified signatures emptied, so every
// signature is verified (the cost of validating answers never seen before: the issue's target); and "seen before",
// right after, when the same answers come again in the same process, as in an Invoke-DaneMonitor -Interval watch
// (each RRSIG still checked for validity, signer, labels and keys; only the public-key arithmetic is remembered).
Console.WriteLine();
Console.WriteLine("| round | Resolver (validating Unbound) s | Local, first sight s | ratio | Local, seen before s | ratio | Secure (Resolver, Local ×2) | DanePS CPU s (Resolver, first sight, seen before) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---|---|");
var ratios = new List<double>();
var warmRatios = new List<double>();
var totals = (Resolver: 0.0, Local: 0.0, Warm: 0.0);
for (var round = 1; round <= rounds; round++)
{
    var resolver = await RunAsync(DnssecValidationMode.Resolver);
    DanePS.Engine.Dnssec.VerifiedSignatures.Shared.Clear();
    var local = await RunAsync(DnssecValidationMode.Local);
    var warm = await RunAsync(DnssecValidationMode.Local);
    var ratio = local.Time.TotalSeconds / resolver.Time.TotalSeconds;
    var warmRatio = warm.Time.TotalSeconds / resolver.Time.TotalSeconds;
    ratios.Add(ratio);
    warmRatios.Add(warmRatio);
    totals = (totals.Resolver + resolver.Time.TotalSeconds, totals.Local + local.Time.TotalSeconds, totals.Warm + warm.Time.TotalSeconds);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {round} | {resolver.Time.TotalSeconds:0.000} | {local.Time.TotalSeconds:0.000} | {ratio:0.00} | {warm.Time.TotalSeconds:0.000} | {warmRatio:0.00} | {resolver.Secure}, {local.Secure}, {warm.Secure} of {hostCount} | {resolver.Cpu.TotalSeconds:0.000}, {local.Cpu.TotalSeconds:0.000}, {warm.Cpu.TotalSeconds:0.000} |"));
}

static double Median(List<double> values) => values.OrderBy(r => r).ElementAt(values.Count / 2);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Local, first sight / Resolver: median {Median(ratios):0.00}; all rounds together {totals.Local:0.000} s / {totals.Resolver:0.000} s = {totals.Local / totals.Resolver:0.00} (the target is at most 2)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Local, seen before / Resolver: median {Median(warmRatios):0.00}; all rounds together {totals.Warm:0.000} s / {totals.Resolver:0.000} s = {totals.Warm / totals.Resolver:0.00}"));
return 0;
