namespace DanePS.Engine.Rollover;

/// <summary>What the caller's reload step did.</summary>
public sealed class ReloadResult
{
    /// <summary>Creates the result.</summary>
    public ReloadResult(int exitCode, string output)
    {
        ExitCode = exitCode;
        Output = output ?? string.Empty;
    }

    /// <summary>0 on success.</summary>
    public int ExitCode { get; }

    /// <summary>Its output (standard output and error, or the script's output).</summary>
    public string Output { get; }
}
