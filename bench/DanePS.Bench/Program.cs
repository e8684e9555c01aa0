// DanePS endpoint-check benchmark: a few hundred TLS endpoints on loopback (one nginx, many listeners), TLSA
// records in a signed test zone behind a validating Unbound, checked by Test-DaneEndpoint (through a hosted
// PowerShell runspace, as users run it) and "the classic way": dig + openssl s_client -dane_tlsa_rrdata per
// endpoint, in sequence. Run by hand as root (port 53 and 443 on 127.x addresses):
//   dotnet run -c Release --project bench/DanePS.Bench -- [--endpoints 300] [--classic 60] [--throttle 64]
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using DanePS.Tests.Fixtures.Dns;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Fixtures.Pki;

var endpoints = BenchSupport.Arg(args, "--endpoints", 300);
var classicCount = BenchSupport.Arg(args, "--classic", 60);
var throttle = BenchSupport.Arg(args, "--throttle", 64);
var repoRoot = BenchSupport.FindRepoRoot();
var manifest = Path.Combine(repoRoot, "artifacts", "DanePS", "DanePS.psd1");
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"Build the module first (dotnet build src/DanePS -c Release): {manifest} is missing.");
    return 2;
}

Console.WriteLine($"# DanePS benchmark: {endpoints} TLS endpoints on loopback, {Environment.ProcessorCount} cores");
var root = TestPki.CreateRoot("Bench Root", TestKeyType.Ecdsa);
var intermediate = TestPki.CreateIntermediate(root, "Bench Intermediate", TestKeyType.Ecdsa);
var leaf = TestPki.CreateLeaf(intermediate, new[] { "*.bench.test" }, TestKeyType.Ecdsa);
var tlsa = "3 1 1 " + Convert.ToHexString(SHA256.HashData(leaf.SpkiDer));

await using var nginx = await NginxTestServer.StartAsync(TlsIdentity.From(leaf, root, intermediate), endpoints, 443);
var zone = new TestZone("bench.test", ZoneSecurity.Signed);
var hosts = new List<(string Host, System.Net.IPEndPoint EndPoint)>();
for (var i = 0; i < nginx.Endpoints.Count; i++)
{
    var ep = nginx.Endpoints[i];
    var host = $"h{i}.bench.test";
    hosts.Add((host, ep));
    zone.Records.Add($"h{i} A {ep.Address}");
    zone.Records.Add($"_{ep.Port}._tcp.h{i} TLSA {tlsa}");
}

await using var dns = await DnsTestEnvironment.StartAsync(new DnsTestSetup { Zones = { zone } });
var resolver = $"{dns.ResolverEndPoint.Address}:{dns.ResolverEndPoint.Port}";
Console.WriteLine($"nginx with {nginx.Endpoints.Count} listeners and the signed zone are up (resolver {resolver}).");

// DanePS, through the module as users run it. Memory is sampled while each run goes.
var iss = InitialSessionState.CreateDefault2();
using var runspace = RunspaceFactory.CreateRunspace(iss);
runspace.Open();
Invoke(runspace, $"Import-Module '{manifest}' -ErrorAction Stop", null);
Invoke(runspace, "Test-DaneEndpoint -HostName h0.bench.test -Port 443 -Server $resolver -SingleHandshake | Out-Null", new() { ["resolver"] = resolver }); // warm-up (JIT)

Console.WriteLine();
Console.WriteLine("| run | endpoints | handshakes/endpoint | seconds | endpoints/s | peak working set MiB | all Pass |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
var daneRates = new List<double>();
foreach (var (count, single) in new[] { (endpoints / 3, true), (2 * endpoints / 3, true), (endpoints, true), (endpoints, false) })
{
    var subset = hosts.Take(count).ToList();
    GC.Collect();
    GC.WaitForPendingFinalizers();
    using var sampler = new PeakSampler();
    var clock = Stopwatch.StartNew();
    // Results stream through and are counted, as a scheduled check would consume them: nothing is kept.
    var counts = Invoke(runspace,
        $"$all = 0; $pass = 0; $targets | Test-DaneEndpoint -Server $resolver -ThrottleLimit {throttle} {(single ? "-SingleHandshake" : string.Empty)} -WarningAction SilentlyContinue | ForEach-Object {{ $all++; if ($_.Verdict -eq 'Pass') {{ $pass++ }} }}; $all; $pass",
        new() { ["resolver"] = resolver, ["targets"] = subset.Select(h => new PSObject(new { HostName = h.Host, Port = h.EndPoint.Port })).ToArray() });
    clock.Stop();
    var pass = counts.Count == 2 && (int)counts[0].BaseObject == count && (int)counts[1].BaseObject == count;
    var rate = count / clock.Elapsed.TotalSeconds;
    if (single)
    {
        daneRates.Add(rate);
    }

    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| DanePS Test-DaneEndpoint -ThrottleLimit {0} | {1} | {2} | {3:0.00} | {4:0} | {5:0} | {6} |",
        throttle, count, single ? "1" : "2 (RSA + ECDSA probe)", clock.Elapsed.TotalSeconds, rate, sampler.PeakMiB, pass ? "yes" : $"NO ({string.Join("/", counts)} results/passes)"));
}

// The classic way: one dig and one openssl s_client per endpoint, in sequence.
var classic = hosts.Take(Math.Min(classicCount, hosts.Count)).ToList();
var ok = 0;
var classicClock = Stopwatch.StartNew();
foreach (var (host, ep) in classic)
{
    var owner = $"_{ep.Port}._tcp.{host}";
    var dig = await Run("dig", $"+short +dnssec TLSA {owner} @{dns.ResolverEndPoint.Address} -p {dns.ResolverEndPoint.Port}");
    var rdata = dig.Split('\n').FirstOrDefault(l => l.StartsWith("3 1 1 ", StringComparison.Ordinal))?.Trim() ?? string.Empty;
    var s = await Run("openssl", $"s_client -connect {ep.Address}:{ep.Port} -servername {host} -dane_tlsa_domain {host} -dane_tlsa_rrdata \"{rdata}\" -verify_return_error -brief", stdinEmpty: true);
    if (s.Contains("Verification: OK", StringComparison.Ordinal) || s.Contains("Verified peername", StringComparison.Ordinal))
    {
        ok++;
    }
}

classicClock.Stop();
var classicRate = classic.Count / classicClock.Elapsed.TotalSeconds;
Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| classic: dig + openssl s_client, sequential | {0} | 1 | {1:0.00} | {2:0} | n/a | {3} |",
    classic.Count, classicClock.Elapsed.TotalSeconds, classicRate, ok == classic.Count ? "yes" : $"NO ({ok} verified)"));
Console.WriteLine();
Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "Speed-up at {0} endpoints (one handshake each): {1:0.0}x the classic way's throughput.", endpoints, daneRates[^1] / classicRate));
return 0;

static List<PSObject> Invoke(Runspace runspace, string script, Dictionary<string, object?>? vars)
{
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    foreach (var (k, v) in vars ?? new())
    {
        runspace.SessionStateProxy.SetVariable(k, v);
    }

    var output = ps.AddScript(script).Invoke().ToList();
    foreach (var e in ps.Streams.Error)
    {
        Console.Error.WriteLine("error: " + e);
    }

    return output;
}

static async Task<string> Run(string file, string args, bool stdinEmpty = false)
{
    var psi = new ProcessStartInfo("sh", new[] { "-c", $"{file} {args}{(stdinEmpty ? " </dev/null" : string.Empty)} 2>&1" }) { RedirectStandardOutput = true };
    using var p = Process.Start(psi)!;
    var text = await p.StandardOutput.ReadToEndAsync();
    await p.WaitForExitAsync();
    return text;
}
