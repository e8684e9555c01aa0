using System;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// Where a secret of the settings file lives: <c>env:NAME</c> (an environment variable) or <c>secret:Name</c> /
/// <c>secret:Vault/Name</c> (a SecretManagement vault, through Get-Secret). A settings file never holds the secret.
/// </summary>
public sealed class SecretReference
{
    private SecretReference(SecretSource source, string name, string? vault, string text)
    {
        Source = source;
        Name = name;
        Vault = vault;
        Text = text;
    }

    /// <summary>Environment or Vault.</summary>
    public SecretSource Source { get; }

    /// <summary>The variable's or the secret's name.</summary>
    public string Name { get; }

    /// <summary>The vault, when one is named.</summary>
    public string? Vault { get; }

    /// <summary>The reference as written.</summary>
    public string Text { get; }

    /// <summary>Parses <c>env:NAME</c>, <c>secret:Name</c> or <c>secret:Vault/Name</c>; null when the text is neither.</summary>
    public static SecretReference? TryParse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var t = text.Trim();
        if (t.StartsWith("env:", StringComparison.OrdinalIgnoreCase) && IsName(t.Substring(4)))
        {
            return new SecretReference(SecretSource.Environment, t.Substring(4), null, t);
        }

        if (t.StartsWith("secret:", StringComparison.OrdinalIgnoreCase) && t.Length > 7)
        {
            var rest = t.Substring(7);
            var slash = rest.IndexOf('/');
            var vault = slash > 0 ? rest.Substring(0, slash) : null;
            var name = slash > 0 ? rest.Substring(slash + 1) : rest;
            return name.Trim().Length == 0 ? null : new SecretReference(SecretSource.Vault, name, vault, t);
        }

        return null;
    }

    private static bool IsName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
