namespace DanePS.Engine.Dns;

/// <summary>What the TLSA lookup found.</summary>
public enum TlsaLookupOutcome
{
    /// <summary>TLSA records are published.</summary>
    Found,
    /// <summary>No TLSA records, and the denial is trustworthy (secure, or from an insecure zone).</summary>
    NotPublished,
    /// <summary>No trustworthy answer: see <see cref="TlsaRecordSet.Failure"/>.</summary>
    Failed,
}
