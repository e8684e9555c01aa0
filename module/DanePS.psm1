# DanePS's root module. DanePS.dll holds the cmdlets; the engine and its dependencies (DnsClient, BouncyCastle) sit
# in Dependencies/, where only DanePS's loader finds them: on PowerShell 7 they load into DanePS's own
# AssemblyLoadContext, so other modules' versions of the same libraries never clash with DanePS's. The loader must
# be in place before PowerShell looks at the cmdlet types (their parameters use engine types), hence this script.
$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
$isReload = [bool]('DanePS.ModuleLoader' -as [type])
$assembly = if ($isReload) {
    [DanePS.ModuleLoader].Assembly
}
else {
    [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'DanePS.dll'))
}
[DanePS.ModuleLoader]::Register()

$innerModule = & $importModule -Assembly $assembly -PassThru:$isReload
if ($innerModule) {
    # Importing an assembly that was imported before picks up the cached module and does not hand its cmdlets to
    # this one (PowerShell issue 20710): add them, as PSToml does.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
    }
}
