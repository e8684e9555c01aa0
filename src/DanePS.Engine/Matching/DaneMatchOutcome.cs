namespace DanePS.Engine.Matching;

/// <summary>The matcher's overall answer.</summary>
public enum DaneMatchOutcome
{
    /// <summary>A usable TLSA record authenticates the chain.</summary>
    Authenticated,
    /// <summary>There are usable TLSA records, but none authenticates the chain.</summary>
    NotAuthenticated,
    /// <summary>No record is usable: DANE does not apply (this is not a mismatch).</summary>
    NoUsableRecords,
}
