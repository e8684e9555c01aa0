using System.Security;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// Reads referenced secrets: the cmdlet reads environment variables and calls Get-Secret (SecretManagement) when that
/// command is there; tests give their own.
/// </summary>
public interface ISecretResolver
{
    /// <summary>The secret, or null with <paramref name="why"/> when it cannot be had.</summary>
    SecureString? Resolve(SecretReference reference, out string? why);
}
