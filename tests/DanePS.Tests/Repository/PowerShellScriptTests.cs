using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Repository;

/// <summary>No pwsh here: every script in the repository is at least parsed by the real PowerShell parser.</summary>
public class PowerShellScriptTests
{
    public static IEnumerable<object[]> Scripts() =>
        Directory.EnumerateFiles(ModuleSession.RepoRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ps1", System.StringComparison.Ordinal) || f.EndsWith(".psm1", System.StringComparison.Ordinal) || f.EndsWith(".psd1", System.StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(ModuleSession.RepoRoot, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "artifacts" or ".git" or ".tools"))
            .Select(f => new object[] { f });

    [Fact]
    public void The_repository_has_the_scripts_users_run()
    {
        var scripts = Scripts().Select(s => (string)s[0]).ToList();
        Assert.Contains("build.ps1", scripts);
        Assert.Contains(Path.Combine("module", "DanePS.psd1"), scripts);
        Assert.Contains(scripts, s => s.StartsWith(Path.Combine("tests", "pester"), System.StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_parses_without_errors(string relativePath)
    {
        Parser.ParseFile(Path.Combine(ModuleSession.RepoRoot, relativePath), out _, out var errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}")));
    }
}
