using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using DanePS.Engine.Monitoring;

namespace DanePS;

/// <summary>
/// Resolves the settings file's secret references: <c>env:NAME</c> from the process environment, <c>secret:Name</c>
/// and <c>secret:Vault/Name</c> through Get-Secret (Microsoft.PowerShell.SecretManagement) when that command exists.
/// </summary>
internal sealed class PowerShellSecretResolver : ISecretResolver
{
    private readonly PSCmdlet _cmdlet;

    public PowerShellSecretResolver(PSCmdlet cmdlet) => _cmdlet = cmdlet;

    public SecureString? Resolve(SecretReference reference, out string? why)
    {
        why = null;
        if (reference.Source == SecretSource.Environment)
        {
            var value = Environment.GetEnvironmentVariable(reference.Name);
            if (string.IsNullOrEmpty(value))
            {
                why = $"the environment variable {reference.Name} is not set";
                return null;
            }

            return Secure(value!);
        }

        var getSecret = _cmdlet.InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias);
        if (getSecret is null)
        {
            why = "Get-Secret is not available: install and import Microsoft.PowerShell.SecretManagement, and register a vault";
            return null;
        }

        try
        {
            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddCommand(getSecret).AddParameter("Name", reference.Name);
            if (reference.Vault is not null)
            {
                ps.AddParameter("Vault", reference.Vault);
            }

            var result = ps.Invoke().Select(o => o?.BaseObject).FirstOrDefault();
            if (ps.Streams.Error.Count > 0)
            {
                why = "Get-Secret failed: " + ps.Streams.Error[0].Exception.Message;
                return null;
            }

            switch (result)
            {
                case SecureString secure:
                    return secure;
                case string text when text.Length > 0:
                    return Secure(text);
                case PSCredential credential:
                    return credential.Password;
                default:
                    why = result is null ? "Get-Secret returned nothing" : $"Get-Secret returned a {result.GetType().Name}, not a SecureString or string";
                    return null;
            }
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
        {
            why = "Get-Secret failed: " + ex.Message;
            return null;
        }
    }

    private static SecureString Secure(string value)
    {
        var s = new SecureString();
        foreach (var c in value)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }
}
