using System;
using System.Collections.Generic;
using DanePS.Engine.Providers;

namespace DanePS.Engine.Rollover;

/// <summary>The steps of a rollover, in order.</summary>
public enum RolloverStepKind
{
    /// <summary>What DNS and the servers show now, and what the run will do.</summary>
    Plan,

    /// <summary>Publish the staged key's records beside the current ones.</summary>
    Publish,

    /// <summary>Wait until every authoritative server serves them, then for the TTL (and negative TTL).</summary>
    Wait,

    /// <summary>Run the caller's reload step.</summary>
    Reload,

    /// <summary>Check that every address of every host passes DANE with the staged key.</summary>
    Verify,

    /// <summary>Remove records that match neither the served nor the staged key.</summary>
    Retire,

    /// <summary>The run's end.</summary>
    Complete,
}

/// <summary>What became of a step.</summary>
public enum RolloverStepStatus
{
    /// <summary>Done by this run.</summary>
    Done,

    /// <summary>Found already done (by an earlier run, or by hand): nothing changed.</summary>
    AlreadyDone,

    /// <summary>Not needed in this run.</summary>
    Skipped,

    /// <summary>-WhatIf: what the step would do.</summary>
    WouldDo,

    /// <summary>The step failed; the run stopped and removed nothing.</summary>
    Failed,

    /// <summary>There was nothing to do at all: the served key is the staged key and no record is left to retire.</summary>
    NothingToDo,
}

/// <summary>One step of a rollover, as it happened.</summary>
public sealed class TlsaRolloverStep
{
    /// <summary>Creates a step report.</summary>
    public TlsaRolloverStep(RolloverStepKind step, RolloverStepStatus status, string message)
    {
        Step = step;
        Status = status;
        Message = message ?? throw new ArgumentNullException(nameof(message));
        Time = DateTimeOffset.Now;
    }

    /// <summary>Which step.</summary>
    public RolloverStepKind Step { get; }

    /// <summary>What became of it.</summary>
    public RolloverStepStatus Status { get; }

    /// <summary>What was done or found, in words.</summary>
    public string Message { get; }

    /// <summary>When the step ended.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Records published or removed (or found already so) in this step.</summary>
    public ReadableList<TlsaChange> Changes { get; private set; } = ReadableList.Empty<TlsaChange>();

    /// <summary>Records the retire step kept, each with why (e.g. "served now by 127.0.0.1:25").</summary>
    public ReadableList<string> Kept { get; private set; } = ReadableList.Empty<string>();

    /// <summary>What each address presents, as "host:port [address] KEYTYPE: u s m hex…" (plan and verify steps).</summary>
    public ReadableList<string> Presented { get; private set; } = ReadableList.Empty<string>();

    /// <summary>The reload step's output.</summary>
    public string? Output { get; internal set; }

    /// <summary>The reload step's exit status (0 = success).</summary>
    public int? ExitCode { get; internal set; }

    /// <summary>How long the wait step waited, in milliseconds.</summary>
    public long? WaitedMs { get; private set; }

    // Set by the rollover as each step ends; output lists are readable lists and durations milliseconds.
    internal IEnumerable<TlsaChange> ChangesMade { set => Changes = ReadableList.Of(value, "\n"); }

    internal IEnumerable<string> KeptRecords { set => Kept = ReadableList.Of(value, "\n"); }

    internal IEnumerable<string> PresentedNow { set => Presented = ReadableList.Of(value, "\n"); }

    internal TimeSpan Waited { set => WaitedMs = (long)value.TotalMilliseconds; }

    /// <inheritdoc />
    public override string ToString() => $"{Step} {Status}: {Message}";
}
