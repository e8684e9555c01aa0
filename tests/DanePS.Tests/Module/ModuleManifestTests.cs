using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace DanePS.Tests.Module;

public class ModuleManifestTests
{
    [Fact]
    public void Manifest_passes_Test_ModuleManifest()
    {
        using var session = new ModuleSession(import: false);
        var info = session.Run<PSModuleInfo>($"Test-ModuleManifest -Path '{ModuleSession.ManifestPath}'").Single();
        Assert.Empty(session.LastErrors);
        Assert.Equal("DanePS", info.Name);
        Assert.Equal(new Version(0, 1, 0), info.Version);
        Assert.Equal(new Version(5, 1), info.PowerShellVersion);
        Assert.Contains("Desktop", info.CompatiblePSEditions);
        Assert.Contains("Core", info.CompatiblePSEditions);
        Assert.NotEqual(Guid.Empty, info.Guid);
        Assert.NotNull(info.ProjectUri);
        Assert.NotNull(info.LicenseUri);
    }

    [Fact]
    public void Exported_cmdlets_match_the_manifest_and_every_cmdlet_class()
    {
        using var session = new ModuleSession();
        var fromManifest = session.Run<string>($"(Test-ModuleManifest -Path '{ModuleSession.ManifestPath}').ExportedCmdlets.Keys").OrderBy(x => x).ToList();
        var exported = session.Run<string>("(Get-Module DanePS).ExportedCmdlets.Keys").OrderBy(x => x).ToList();
        var classes = session.Run<string>(
            "(Get-Command -Name Test-TlsaRecord -Module DanePS).ImplementingType.Assembly.GetTypes() | ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false); if ($a) { $a[0].VerbName + '-' + $a[0].NounName } }")
            .OrderBy(x => x).ToList();
        Assert.NotEmpty(exported);
        Assert.Equal(fromManifest, exported);
        Assert.Equal(classes, exported);
        Assert.Contains("Get-ServerSpkiHash", exported);
        Assert.Contains("New-TlsaRecord", exported);
        Assert.Contains("Test-TlsaRecord", exported);
    }

    [Fact]
    public void Module_folder_is_complete_and_ships_no_System_Management_Automation()
    {
        var files = Directory.GetFiles(ModuleSession.ModuleDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ModuleSession.ModuleDirectory, f).Replace(Path.DirectorySeparatorChar, '/')).ToList();
        Assert.DoesNotContain(files, f => Path.GetFileName(f) == "System.Management.Automation.dll");
        foreach (var required in new[] { "DanePS.psd1", "DanePS.psm1", "DanePS.dll", "DanePS.Format.ps1xml", "en-US/DanePS.dll-Help.xml", "Dependencies/DanePS.Engine.dll", "Dependencies/DnsClient.dll", "Dependencies/BouncyCastle.Cryptography.dll" })
        {
            Assert.Contains(required, files);
        }

        // Beside the manifest, only the cmdlet assembly: anything else there could be found, and loaded into the
        // default load context, by PowerShell's own probing instead of DanePS's loader.
        Assert.Equal(new[] { "DanePS.dll" }, files.Where(f => !f.Contains('/', StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        using var session = new ModuleSession();
        var missing = session.Run<string>("Get-Command -Module DanePS | Where-Object { -not $_.OutputType } | ForEach-Object Name");
        Assert.Empty(missing);
    }
}
