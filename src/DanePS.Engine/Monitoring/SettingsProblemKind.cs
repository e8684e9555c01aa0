namespace DanePS.Engine.Monitoring;

/// <summary>What is wrong with a settings key.</summary>
public enum SettingsProblemKind
{
    /// <summary>The file is not a PowerShell data file (a syntax error, code, more than one hashtable).</summary>
    NotData,

    /// <summary>A key the schema does not know (often a typo).</summary>
    UnknownKey,

    /// <summary>A required key is missing.</summary>
    MissingKey,

    /// <summary>A value of the wrong type (a string where a number goes, a table where a list goes).</summary>
    WrongType,

    /// <summary>A value of the right type that is not allowed (out of range, not one of the names).</summary>
    InvalidValue,

    /// <summary>A host name or mail domain that is not one.</summary>
    InvalidHostName,

    /// <summary>A channel without the secret it needs (its bot token, webhook URL, password).</summary>
    MissingSecret,

    /// <summary>A secret written in the file itself instead of referenced (env:NAME, secret:Name).</summary>
    LiteralSecret,

    /// <summary>A secret reference that does not resolve (the variable is not set, the vault has no such secret).</summary>
    SecretNotFound,
}
