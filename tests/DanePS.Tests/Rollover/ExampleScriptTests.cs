using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Rollover;

/// <summary>The rollover examples call DanePS cmdlets only with parameters those cmdlets have (a renamed parameter breaks a hook at 3 a.m.).</summary>
public sealed class ExampleScriptTests : IDisposable
{
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    [Theory]
    [InlineData("certbot-deploy-hook.ps1")]
    [InlineData("certbot-deploy-hook-current-next.ps1")]
    public void Every_DanePS_call_in_the_example_uses_existing_parameters(string file)
    {
        var path = Path.Combine(ModuleSession.RepoRoot, "docs", "examples", file);
        var ast = Parser.ParseFile(path, out _, out var errors);
        Assert.Empty(errors);
        var calls = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Where(c => c.GetCommandName() is { } n && n.Contains("Tlsa", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(calls);
        var problems = new List<string>();
        foreach (var call in calls)
        {
            var name = call.GetCommandName();
            var parameters = _session.Run<string>("(Get-Command -Name $n -Module DanePS).Parameters.Keys", new Dictionary<string, object?> { ["n"] = name });
            Assert.True(parameters.Count > 0, $"{name} is not a DanePS cmdlet");
            foreach (var parameter in call.CommandElements.OfType<CommandParameterAst>())
            {
                if (!parameters.Contains(parameter.ParameterName, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"{file}: {name} has no -{parameter.ParameterName}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
