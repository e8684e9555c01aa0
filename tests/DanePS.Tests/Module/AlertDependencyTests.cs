using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace DanePS.Tests.Module;

public class AlertDependencyTests
{
    [Fact]
    public void MailKit_and_MimeKit_ship_in_Dependencies_only_with_their_versions_set_centrally()
    {
        var dependencies = Path.Combine(ModuleSession.ModuleDirectory, "Dependencies");
        foreach (var dll in new[] { "MailKit.dll", "MimeKit.dll", "System.Text.Json.dll" })
        {
            Assert.True(File.Exists(Path.Combine(dependencies, dll)), $"{dll} is not in the module's Dependencies folder");
            Assert.False(File.Exists(Path.Combine(ModuleSession.ModuleDirectory, dll)), $"{dll} must not sit beside the manifest");
        }

        var versions = XDocument.Load(Path.Combine(ModuleSession.RepoRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        Assert.Equal(versions["MailKit"], versions["MimeKit"]);
        Assert.StartsWith(versions["MailKit"], System.Diagnostics.FileVersionInfo.GetVersionInfo(Path.Combine(dependencies, "MailKit.dll")).ProductVersion!, System.StringComparison.Ordinal);
    }
}
