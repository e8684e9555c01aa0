using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>One record of a dig answer section.</summary>
public sealed record DigRecord(string Name, int Ttl, string Type, string Data);

/// <summary>What dig printed, with the header facts and the answer section parsed.</summary>
public sealed partial record DigResult(string Status, IReadOnlySet<string> Flags, IReadOnlyList<DigRecord> Answer, string Output)
{
    /// <summary>AD: the resolver validated the answer.</summary>
    public bool IsAuthenticData => Flags.Contains("ad");

    /// <summary>TC: the answer did not fit and must be asked again over TCP.</summary>
    public bool IsTruncated => Flags.Contains("tc");

    /// <summary>Records of the answer section of one type, e.g. "TLSA".</summary>
    public IReadOnlyList<DigRecord> Of(string type) => Answer.Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase)).ToList();

    internal static DigResult Parse(string output)
    {
        var status = StatusPattern().Match(output);
        var flags = FlagsPattern().Match(output);
        var answer = new List<DigRecord>();
        var inAnswer = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(";; ANSWER SECTION:", StringComparison.Ordinal))
            {
                inAnswer = true;
                continue;
            }

            if (!inAnswer)
            {
                continue;
            }

            if (line.Trim().Length == 0 || line.StartsWith(';'))
            {
                inAnswer = false;
                continue;
            }

            var fields = line.Split((char[]?)null, 5, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 5)
            {
                answer.Add(new DigRecord(fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture), fields[3], fields[4].Trim()));
            }
        }

        return new DigResult(
            status.Success ? status.Groups[1].Value : "NONE",
            flags.Success ? flags.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() : new HashSet<string>(),
            answer,
            output);
    }

    [GeneratedRegex(@"status: ([A-Z]+)")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@";; flags: ([a-z ]*);")]
    private static partial Regex FlagsPattern();
}

/// <summary>Runs dig (Debian package bind9-dnsutils) against one server: a second opinion independent of any .NET DNS library.</summary>
public static class Dig
{
    /// <summary>
    /// <c>dig @server -p port name type [options]</c> with one try and a 3 s timeout. Options are dig's own,
    /// e.g. <c>+dnssec</c>, <c>+cd</c>, <c>+norec</c>, <c>+tcp</c>, <c>+notcp +ignore +bufsize=1232</c>.
    /// </summary>
    public static async Task<DigResult> QueryAsync(IPEndPoint server, string name, string type, IEnumerable<string>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var arguments = new List<string>
        {
            "@" + server.Address, "-p", server.Port.ToString(CultureInfo.InvariantCulture),
            name, type, "+time=3", "+tries=1", "+nocookie",
        };
        arguments.AddRange(options ?? []);
        var output = await ExternalCommand.RunToSuccessAsync(RequiredProgram.Dig, arguments, Environment.CurrentDirectory, cancellationToken);
        return DigResult.Parse(output);
    }

    /// <inheritdoc cref="QueryAsync(IPEndPoint, string, string, IEnumerable{string}, CancellationToken)"/>
    public static Task<DigResult> QueryAsync(IPEndPoint server, string name, string type, params string[] options) =>
        QueryAsync(server, name, type, (IEnumerable<string>)options);
}
