namespace DanePS.Engine.Alerts;

/// <summary>
/// Where alerting reports what it does (the cmdlet maps it to PowerShell's verbose, debug and warning streams). Every
/// message passes through <see cref="SecretRedactor"/> first. Calls may come from any thread.
/// </summary>
public interface IAlertLog
{
    /// <summary>What is being done.</summary>
    void Verbose(string message);

    /// <summary>Wire-level detail: requests, answers, retries.</summary>
    void Debug(string message);

    /// <summary>Something the user should know that is not an error (a corrupt state file recreated).</summary>
    void Warning(string message);
}
