namespace DanePS.Engine.Monitoring;

/// <summary>Where a referenced secret is read from.</summary>
public enum SecretSource
{
    /// <summary>An environment variable (<c>env:NAME</c>).</summary>
    Environment,

    /// <summary>A SecretManagement vault (<c>secret:Name</c> or <c>secret:Vault/Name</c>), read with Get-Secret.</summary>
    Vault,
}
