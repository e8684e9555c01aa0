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

Console.WriteLine();
Console.WriteLine("| round | Resolver (validating Unbound) s | Local (DanePS validates) s | Local / Resolver | Secure (both) | DanePS CPU s (Resolver, Local) |");
Console.WriteLine("|---:|---:|---:|---:|---|---|");
var ratios = new List<double>();
var totals = (Resolver: 0.0, Local: 0.0);
for (var round = 1; round <= rounds; round++)
{
    var resolver = await RunAsync(DnssecValidationMode.Resolver);
    var local = await RunAsync(DnssecValidationMode.Local);
    var ratio = local.Time.TotalSeconds / resolver.Time.TotalSeconds;
    ratios.Add(ratio);
    totals = (totals.Resolver + resolver.Time.TotalSeconds, totals.Local + local.Time.TotalSeconds);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {round} | {resolver.Time.TotalSeconds:0.000} | {local.Time.TotalSeconds:0.000} | {ratio:0.00} | {resolver.Secure}/{hostCount}, {local.Secure}/{hostCount} | {resolver.Cpu.TotalSeconds:0.000}, {local.Cpu.TotalSeconds:0.000} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median Local / Resolver: {ratios.OrderBy(r => r).ElementAt(ratios.Count / 2):0.00}; all rounds together: {totals.Local:0.000} s / {totals.Resolver:0.000} s = {totals.Local / totals.Resolver:0.00} (the target is at most 2)"));
return 0;

