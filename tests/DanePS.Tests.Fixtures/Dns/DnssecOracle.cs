using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>What the oracle said for one name, with its output for failure messages.</summary>
public sealed record OracleVerdict(ExpectedDnsOutcome Outcome, string Output)
{
    public override string ToString() => $"{Outcome}\n{Output}";
}

/// <summary>
/// An independent DNSSEC validator for the tests: BIND's <c>delv</c> (Debian package bind9-dnsutils), which fetches
/// the records through a resolver and validates them itself from a trust anchor, as DanePS's local validation
/// does. It shares no code with DanePS, DnsClient or Unbound, so when it and DanePS agree on a status, neither is
/// merely agreeing with itself.
/// </summary>
public sealed class DnssecOracle : IDisposable
{
    private readonly IPEndPoint resolver;
    private readonly string anchorFile;

    /// <param name="resolver">The resolver delv asks (it sets CD and validates the answers itself).</param>
    /// <param name="trustAnchors">DS or DNSKEY records in presentation format, e.g. <see cref="DnsTestEnvironment.TrustAnchor"/>.</param>
    public DnssecOracle(IPEndPoint resolver, params string[] trustAnchors)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(trustAnchors);
        RequiredProgram.Delv.Locate();
        this.resolver = resolver;
        anchorFile = Path.Combine(Path.GetTempPath(), "daneps-oracle-" + Guid.NewGuid().ToString("N") + ".conf");
        File.WriteAllText(anchorFile, TrustAnchorsStatement(trustAnchors));
    }

    /// <summary>
    /// A BIND <c>trust-anchors</c> statement (delv's <c>-a</c> file) for DS records (<c>static-ds</c>) and DNSKEY
    /// records (<c>static-key</c>) in presentation format.
    /// </summary>
    public static string TrustAnchorsStatement(IEnumerable<string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var lines = new List<string> { "trust-anchors {" };
        foreach (var record in records)
        {
            var tokens = record.Replace("(", " ", StringComparison.Ordinal).Replace(")", " ", StringComparison.Ordinal)
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var at = Array.FindIndex(tokens, t => t is "DS" or "DNSKEY");
            if (at < 1 || tokens.Length < at + 5)
            {
                throw new ArgumentException($"Not a DS or DNSKEY record: '{record}'.", nameof(records));
            }

            var owner = tokens[0];
            var data = string.Concat(tokens.Skip(at + 4));
            lines.Add(tokens[at] == "DS"
                ? $"    \"{owner}\" static-ds {tokens[at + 1]} {tokens[at + 2]} {tokens[at + 3]} \"{data}\";"
                : $"    \"{owner}\" static-key {tokens[at + 1]} {tokens[at + 2]} {tokens[at + 3]} \"{data}\";");
        }

        lines.Add("};");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// Asks delv for <paramref name="name"/> <paramref name="type"/> and reads its verdict: Secure or Insecure data
    /// (for a CNAME chain, the weakest link), a secure or insecure NXDOMAIN or NODATA, or Bogus ("resolution failed").
    /// A timeout or a server failure that is not a validation failure is an error, not a verdict.
    /// </summary>
    public async Task<OracleVerdict> ValidateAsync(string name, string type, CancellationToken cancellationToken = default)
    {
        var arguments = new List<string>
        {
            "@" + resolver.Address, "-p", resolver.Port.ToString(CultureInfo.InvariantCulture),
            "-a", anchorFile, "+root=.", name, type,
        };
        var result = await ExternalCommand.RunAsync(RequiredProgram.Delv, arguments, TimeSpan.FromSeconds(20), Environment.CurrentDirectory, cancellationToken: cancellationToken);
        var output = result.CombinedOutput;
        if (result.TimedOut)
        {
            throw new FixtureException($"delv {name} {type} timed out:\n{output}");
        }

        return new OracleVerdict(Read(output, name, type), $"delv {string.Join(' ', arguments)}\n{output}");
    }

    /// <summary>delv's comment lines → outcome.</summary>
    internal static ExpectedDnsOutcome Read(string output, string name, string type)
    {
        var comments = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(';')).ToList();
        var failure = comments.FirstOrDefault(l => l.StartsWith(";; resolution failed:", StringComparison.Ordinal));
        if (failure is not null && !failure.Contains("ncache", StringComparison.Ordinal))
        {
            // "failure" (SERVFAIL from the validator), "no valid signature found", "broken trust chain", ...
            if (failure.Contains("timed out", StringComparison.Ordinal) || failure.Contains("network unreachable", StringComparison.Ordinal)
                || failure.Contains("connection refused", StringComparison.Ordinal))
            {
                throw new FixtureException($"delv could not reach the resolver for {name} {type}:\n{output}");
            }

            return ExpectedDnsOutcome.Bogus;
        }

        var validated = comments.Where(l => l.EndsWith("fully validated", StringComparison.Ordinal) || l.EndsWith("unsigned answer", StringComparison.Ordinal)).ToList();
        if (validated.Count == 0)
        {
            throw new FixtureException($"delv gave no verdict for {name} {type}:\n{output}");
        }

        var secure = validated.All(l => l.EndsWith("fully validated", StringComparison.Ordinal));
        if (failure is not null)
        {
            var nxdomain = failure.Contains("nxdomain", StringComparison.Ordinal);
            return (nxdomain, secure) switch
            {
                (true, true) => ExpectedDnsOutcome.SecureNxDomain,
                (true, false) => ExpectedDnsOutcome.InsecureNxDomain,
                (false, true) => ExpectedDnsOutcome.SecureNoData,
                _ => ExpectedDnsOutcome.InsecureNoData,
            };
        }

        return secure ? ExpectedDnsOutcome.Secure : ExpectedDnsOutcome.Insecure;
    }

    public void Dispose()
    {
        try
        {
            File.Delete(anchorFile);
        }
        catch (IOException)
        {
            // A leftover temporary file is harmless.
        }
    }
}
