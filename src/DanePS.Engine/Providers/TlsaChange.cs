using System;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Providers;

/// <summary>What a publish or removal did.</summary>
public enum TlsaChangeOutcome
{
    /// <summary>The record was added.</summary>
    Added,

    /// <summary>An identical record was already published: nothing changed.</summary>
    AlreadyPresent,

    /// <summary>The record was removed.</summary>
    Removed,

    /// <summary>No such record was published: nothing changed.</summary>
    AlreadyAbsent,
}

/// <summary>One record published or removed (or found already so) by a provider.</summary>
public sealed class TlsaChange
{
    /// <summary>Creates a change report.</summary>
    public TlsaChange(string ownerName, TlsaRecord record, TlsaChangeOutcome outcome, string provider)
    {
        OwnerName = ownerName ?? throw new ArgumentNullException(nameof(ownerName));
        Record = record ?? throw new ArgumentNullException(nameof(record));
        Outcome = outcome;
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
    }

    /// <summary>Owner name with the trailing dot.</summary>
    public string OwnerName { get; }

    /// <summary>The record data.</summary>
    public TlsaRecord Record { get; }

    /// <summary>What happened.</summary>
    public TlsaChangeOutcome Outcome { get; }

    /// <summary>True when the provider's data changed.</summary>
    public bool Changed => Outcome is TlsaChangeOutcome.Added or TlsaChangeOutcome.Removed;

    /// <summary>Where: the provider's description.</summary>
    public string Provider { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Outcome}: {OwnerName} TLSA {Record.ToShortString()} ({Provider})";
}
