// Invoke-DaneMonitor at scale: a settings hashtable with 2,000 HTTPS endpoints (one nginx, many listeners) and 200
// mail domains (MX hosts on Postfix listeners), TLSA records in a signed zone behind a validating Unbound, every
// alert channel (Telegram and a webhook) pointed at a loopback stand-in. Every 100th endpoint and the first MX host
// publish a stale record. Run once with a tenth of the targets, then with all of them, each twice: reports wall
// time and peak working set (flat from 200 to 2,000 endpoints: results stream through, nothing is kept), and checks
// that exactly the expected alerts went out once, and none on the second run. Run by hand as root (port 25, 53 and
// 443 on 127.x addresses), after building the module:
//   dotnet run -c Release --project bench/DanePS.MonitorBench -- [--endpoints 2000] [--domains 200] [--mx 20] [--throttle 64]
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using DanePS.Tests.Fixtures.Dns;
using DanePS.Tests.Fixtures.Http;
using DanePS.Tests.Fixtures.Pki;
using DanePS.Tests.Fixtures.Servers;

var endpoints = BenchSupport.Arg(args, "--endpoints", 2000);
var domains = BenchSupport.Arg(args, "--domains", 200);
var mxHosts = BenchSupport.Arg(args, "--mx", 20);
var throttle = BenchSupport.Arg(args, "--throttle", 64);
const int FailEvery = 100;
var repoRoot = BenchSupport.FindRepoRoot();
var manifest = Path.Combine(repoRoot, "artifacts", "DanePS", "DanePS.psd1");
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"Build the module first (dotnet build src/DanePS -c Release): {manifest} is missing.");
    return 2;
}

Console.WriteLine($"# Invoke-DaneMonitor benchmark: {endpoints} endpoints, {domains} mail domains ({mxHosts} MX hosts), {Environment.ProcessorCount} cores");
var root = TestPki.CreateRoot("Monitor Bench Root", TestKeyType.Ecdsa);
var intermediate = TestPki.CreateIntermediate(root, "Monitor Bench Intermediate", TestKeyType.Ecdsa);
var leaf = TestPki.CreateLeaf(intermediate, new[] { "*.bench.test" }, TestKeyType.Ecdsa);
var stale = TestPki.CreateLeaf(intermediate, new[] { "*.bench.test" }, TestKeyType.Ecdsa);
string Ee311(TestCertificate c) => "3 1 1 " + Convert.ToHexString(SHA256.HashData(c.SpkiDer));

var identity = TlsIdentity.From(leaf, root, intermediate);
await using var nginx = await NginxTestServer.StartAsync(identity, endpoints, 443);
var postfixOptions = new PostfixTestServerOptions { HostName = "mx.bench.test" };
foreach (var address in LoopbackEndpoints.NextAddresses(mxHosts))
{
    postfixOptions.Endpoints.Add(LoopbackEndpoints.EndpointOn(address, 25));
}

postfixOptions.Identities.Add(identity);
await using var postfix = await PostfixTestServer.StartAsync(postfixOptions);

var zone = new TestZone("bench.test", ZoneSecurity.Signed);
var hosts = new List<string>();
for (var i = 0; i < nginx.Endpoints.Count; i++)
{
    var ep = nginx.Endpoints[i];
    hosts.Add($"h{i}.bench.test:{ep.Port}");
    zone.Records.Add($"h{i} A {ep.Address}");
    zone.Records.Add($"_{ep.Port}._tcp.h{i} TLSA {(i % FailEvery == 0 ? Ee311(stale) : Ee311(leaf))}");
}

for (var j = 0; j < postfix.Endpoints.Count; j++)
{
    zone.Records.Add($"mx{j} A {postfix.Endpoints[j].Address}");
    zone.Records.Add($"_25._tcp.mx{j} TLSA {(j == 0 ? Ee311(stale) : Ee311(leaf))}");
}

var mailDomains = new List<string>();
for (var k = 0; k < domains; k++)
{
    mailDomains.Add($"d{k}.bench.test");
    zone.Records.Add($"d{k} MX 10 mx{k % mxHosts}.bench.test.");
}

await using var dns = await DnsTestEnvironment.StartAsync(new DnsTestSetup { Zones = { zone } });
await using var http = LoopbackHttpRecorder.Start();
var resolver = $"{dns.ResolverEndPoint.Address}:{dns.ResolverEndPoint.Port}";
var folder = Directory.CreateTempSubdirectory("daneps-monitor-bench-").FullName;
Environment.SetEnvironmentVariable("DANEPS_BENCH_TOKEN", "424242:BENCH-token");
Environment.SetEnvironmentVariable("DANEPS_BENCH_HOOK", http.Url("hook/BENCH-SECRET").ToString());
Console.WriteLine($"nginx ({nginx.Endpoints.Count} listeners), Postfix ({postfix.Endpoints.Count} listeners) and the signed zone are up (resolver {resolver}).");

var iss = InitialSessionState.CreateDefault2();
using var runspace = RunspaceFactory.CreateRunspace(iss);
runspace.Open();
Invoke(runspace, $"Import-Module '{manifest}' -ErrorAction Stop", null);

Console.WriteLine();
Console.WriteLine("| endpoints | mail domains | run | seconds | targets/s | peak working set MiB | alerts sent | suppressed | expected | requests at stand-ins | exit code | as expected |");
Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
var allGood = true;
foreach (var (e, d) in new[] { (endpoints / 10, domains / 10), (endpoints, domains) })
{
    var failingEndpoints = Enumerable.Range(0, e).Count(i => i % FailEvery == 0);
    var failingMx = d > 0 ? 1 : 0; // mx0, the MX host of every d(k) with k % mx == 0
    var expected = 2 * (failingEndpoints + failingMx); // two channels, both for failures
    var settings = new Hashtable
    {
        ["Endpoints"] = hosts.Take(e).ToArray(),
        ["MailDomains"] = mailDomains.Take(d).ToArray(),
        ["Dns"] = new Hashtable { ["Server"] = resolver },
        ["Checks"] = new Hashtable { ["ThrottleLimit"] = throttle, ["SingleHandshake"] = true, ["TimeoutSec"] = 10 },
        ["Alerts"] = new Hashtable
        {
            ["StatePath"] = Path.Combine(folder, $"state-{e}.json"),
            ["Channels"] = new object[]
            {
                new Hashtable { ["Type"] = "Telegram", ["Name"] = "tg", ["BotToken"] = "env:DANEPS_BENCH_TOKEN", ["ChatId"] = 1, ["BaseAddress"] = http.BaseAddress.ToString() },
                new Hashtable { ["Type"] = "Webhook", ["Name"] = "hook", ["WebhookUrl"] = "env:DANEPS_BENCH_HOOK" },
            },
        },
    };

    foreach (var run in new[] { "first", "second" })
    {
        var before = http.Requests.Count;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var sampler = new PeakSampler();
        var clock = Stopwatch.StartNew();
        // Results stream through and are counted, as a scheduled run would pass them on: only the summary is kept.
        var output = Invoke(runspace,
            "$n = 0; Invoke-DaneMonitor -Settings $settings -WarningAction SilentlyContinue | ForEach-Object { if ($_.PSObject.TypeNames[0] -like '*MonitorSummary') { $_ } else { $n++ } }",
            new() { ["settings"] = settings });
        clock.Stop();
        dynamic summary = output[^1];
        int sent = summary.AlertsSent, suppressed = summary.AlertsSuppressed, exit = summary.ExitCode;
        var requests = http.Requests.Count - before;
        var ok = run == "first" ? sent == expected && requests == expected && suppressed == 0 : sent == 0 && requests == 0 && suppressed == expected;
        ok &= exit == 2 && (int)summary.Endpoints == e && (int)summary.MailDomains == d && (int)summary.Errors == 0;
        allGood &= ok;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2} | {3:0.0} | {4:0} | {5:0} | {6} | {7} | {8} | {9} | {10} | {11} |",
            e, d, run, clock.Elapsed.TotalSeconds, (e + d) / clock.Elapsed.TotalSeconds, sampler.PeakMiB, sent, suppressed, expected, requests, exit, ok ? "yes" : "NO: " + summary));
    }
}

Directory.Delete(folder, recursive: true);
return allGood ? 0 : 1;

static List<object> Invoke(Runspace runspace, string script, Dictionary<string, object?>? variables)
{
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    foreach (var (name, value) in variables ?? new())
    {
        runspace.SessionStateProxy.SetVariable(name, value);
    }

    var output = ps.AddScript(script).Invoke();
    if (ps.HadErrors)
    {
        foreach (var e in ps.Streams.Error.Take(5))
        {
            Console.Error.WriteLine("error: " + e);
        }
    }

    return output.Select(o => o.BaseObject).ToList();
}
