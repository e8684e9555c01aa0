using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine;
using DanePS.Engine.Checking;
using Xunit;

namespace DanePS.Tests.Module;

/// <summary>
/// No pwsh here: the output types, read by reflection from every cmdlet's [OutputType], stay flat enough for
/// ConvertTo-Json -Depth 4 and Export-Csv (tests/pester/Output.Tests.ps1 checks the same live, in the real pwsh).
/// </summary>
public class OutputShapeTests
{
    /// <summary>Every public type reachable from a cmdlet's output through public properties.</summary>
    private static IReadOnlyList<Type> OutputTypes()
    {
        var seen = new HashSet<Type>();
        // The cmdlet assembly as built into artifacts/ (the tests do not reference it); its engine types may load in
        // DanePS's own load context, so types are compared by name.
        var cmdlets = Assembly.LoadFrom(Path.Combine(ModuleSession.ModuleDirectory, "DanePS.dll"));
        var queue = new Queue<Type>(cmdlets.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>())
            .SelectMany(a => a.Type)
            .Select(t => t.Type)
            .OfType<Type>()
            .Where(t => t.Namespace?.StartsWith("DanePS", StringComparison.Ordinal) == true));
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var inner = ItemType(property.PropertyType) ?? property.PropertyType;
                if (inner.Namespace?.StartsWith("DanePS", StringComparison.Ordinal) == true && !inner.IsEnum)
                {
                    queue.Enqueue(inner);
                }
            }
        }

        return seen.ToList();
    }

    private static Type? ItemType(Type type) =>
        type == typeof(string) ? null : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    [Fact]
    public void The_output_types_are_the_ones_scripts_see()
    {
        var names = OutputTypes().Select(t => t.Name).ToList();
        Assert.Contains("DaneMailDomainResult", names);
        Assert.Contains("DaneEndpointResult", names);
        Assert.Contains("CertificateDetails", names);
        Assert.Contains("TlsaRecordEvaluation", names);
        Assert.Contains("DaneFinding", names);
        Assert.Contains("DnsAddress", names);
        Assert.Contains("TlsRptPolicyResult", names);
        Assert.Contains("TlsRptFailureDetail", names);
        Assert.Contains("TlsRptSummary", names);
    }

    [Fact]
    public void No_output_property_serialises_as_a_pile_of_internals_or_writes_a_type_name_into_CSV()
    {
        var problems = new List<string>();
        foreach (var type in OutputTypes())
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                var where = $"{type.Name}.{p.Name} ({t.Name})";
                if (t == typeof(IPAddress) || t == typeof(IPEndPoint))
                {
                    problems.Add($"{where}: an address is a string");
                }
                else if (t == typeof(TimeSpan))
                {
                    problems.Add($"{where}: a duration is milliseconds");
                }
                else if (t == typeof(DateTime))
                {
                    problems.Add($"{where}: a point in time is a DateTimeOffset");
                }
                else if (typeof(X509Certificate).IsAssignableFrom(t))
                {
                    problems.Add($"{where}: a certificate is reachable by a method, not serialised");
                }
                else if (t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t) && !(t.IsGenericType && t.GetGenericTypeDefinition().FullName == typeof(ReadableList<>).FullName))
                {
                    problems.Add($"{where}: a list is a ReadableList, whose text is its items");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_readable_list_reads_as_its_items()
    {
        Assert.Equal("a, b", new ReadableList<string>(new[] { "a", "b" }).ToString());
        Assert.Equal("a\nb", new ReadableList<string>(new[] { "a", "b" }, "\n").ToString());
        Assert.Equal(string.Empty, new ReadableList<string>(Array.Empty<string>()).ToString());
    }

    [Fact]
    public void Every_finding_code_is_documented_in_about_DanePS()
    {
        var about = File.ReadAllText(Path.Combine(ModuleSession.RepoRoot, "docs", "help", "about_DanePS.md"));
        var findings = about.Substring(about.IndexOf("## Findings", StringComparison.Ordinal));
        var missing = Enum.GetNames<DaneFindingCode>().Where(code => !findings.Contains(code, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Finding codes not in about_DanePS, FINDINGS: " + string.Join(", ", missing));
    }
}
