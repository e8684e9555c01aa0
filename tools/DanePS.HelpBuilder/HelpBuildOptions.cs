namespace DanePS.HelpBuilder;

/// <summary>What to convert and what the pages must declare.</summary>
/// <param name="SourceDirectory">The folder of markdown pages (docs/help).</param>
/// <param name="OutputDirectory">Where the MAML and about files go (a culture folder such as en-US).</param>
/// <param name="ModuleName">The 'Module Name' every cmdlet page must declare.</param>
/// <param name="AssemblyFileName">The file of the assembly that defines the cmdlets, e.g. DanePS.dll.</param>
internal sealed record HelpBuildOptions(string SourceDirectory, string OutputDirectory, string ModuleName, string AssemblyFileName)
{
    /// <summary>Get-Help looks for "&lt;assembly file&gt;-Help.xml" next to the assembly (in a culture folder).</summary>
    public string ExternalHelpFile => AssemblyFileName + "-Help.xml";
}
