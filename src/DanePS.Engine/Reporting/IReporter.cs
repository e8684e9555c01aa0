namespace DanePS.Engine.Reporting;

/// <summary>
/// Where the engine says what it is doing, stage by stage and target by target, without knowing who listens: the
/// cmdlets write it to PowerShell's verbose, debug and warning streams, tests may collect it. The one reporting
/// interface of the engine: checks, alerting (through <see cref="Alerts.RedactingReporter"/>) and providers use it. Each message names what it is
/// about (a DNS name and type, or host:port [address]), because checks run concurrently and their messages interleave.
/// </summary>
/// <remarks>
/// Called from any thread, often several at once, and must return at once: an implementation queues the message
/// for whoever may write it (in PowerShell, only the pipeline thread may).
/// </remarks>
public interface IReporter
{
    /// <summary>One stage of the work on one target: a DNS answer and its status, a connection, STARTTLS, a handshake, a verdict.</summary>
    void Verbose(string message);

    /// <summary>Detail below the stages, for finding out why (e.g. what the server said before STARTTLS).</summary>
    void Debug(string message);

    /// <summary>Something the user should know that is neither an error nor a verdict (a corrupt alert state file recreated).</summary>
    void Warning(string message);
}
