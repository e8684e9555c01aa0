using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DanePS.Engine.Checking;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Checking;

/// <summary>
/// build.ps1 -ModuleOutput, in a hosted runspace: it builds a complete module folder (and nothing it must not
/// ship) wherever it is told, and that module runs its main job. The README's command as written is proven in the
/// real pwsh by .ci/run.
/// </summary>
[Collection("EndpointWorld")]
public class ReadmeCommandTests : IDisposable
{
    private readonly EndpointWorld _world;
    private readonly string _output = Path.Combine(Path.GetTempPath(), "daneps-readme-" + Guid.NewGuid().ToString("N"));

    public ReadmeCommandTests(EndpointWorld world) => _world = world;

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, true);
        }
    }

    [Fact]
    public void Build_script_builds_an_importable_module_that_checks_a_mail_domain()
    {
        using var session = new ModuleSession(import: false);
        var vars = new Dictionary<string, object?> { ["root"] = ModuleSession.RepoRoot, ["out"] = _output, ["resolver"] = _world.Resolver };

        // Debug: the test run itself may be Release, and the two must not write the same files.
        session.Run("& ([IO.Path]::Combine($root, 'build.ps1')) -Task Build -Configuration Debug -ModuleOutput $out", vars);
        Assert.Empty(session.LastErrors);
        foreach (var file in new[] { "DanePS.psd1", "DanePS.psm1", "DanePS.dll", Path.Combine("Dependencies", "DanePS.Engine.dll"), Path.Combine("Dependencies", "DnsClient.dll"), Path.Combine("Dependencies", "BouncyCastle.Cryptography.dll"), "DanePS.Format.ps1xml", Path.Combine("en-US", "DanePS.dll-Help.xml") })
        {
            Assert.True(File.Exists(Path.Combine(_output, file)), $"{file} is missing from the built module");
        }

        Assert.False(File.Exists(Path.Combine(_output, "System.Management.Automation.dll")));

        // A fresh pwsh imports what build.ps1 built. In this one test process, a DanePS.dll other tests already
        // loaded from artifacts/ blocks a second copy of the same assembly, so that (identical) build is used then.
        var alreadyLoaded = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "DanePS");
        vars["module"] = alreadyLoaded ? ModuleSession.ManifestPath : Path.Combine(_output, "DanePS.psd1");
        var verdict = session.Run<string>("Import-Module $module -ErrorAction Stop; (Test-DaneMailDomain goodmail.test -Server $resolver).Verdict.ToString()", vars);
        Assert.Empty(session.LastErrors);
        Assert.Equal(nameof(DaneVerdict.Pass), Assert.Single(verdict));
        Assert.Equal(
            Directory.GetFiles(ModuleSession.ModuleDirectory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(ModuleSession.ModuleDirectory, f)).OrderBy(f => f),
            Directory.GetFiles(_output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_output, f)).OrderBy(f => f));
    }
}
