using System;

namespace DanePS.Engine.TlsRpt;

/// <summary>A report that cannot be read: what was being read (<see cref="Source"/>) and why (<see cref="Problem"/>).</summary>
public sealed class TlsRptFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public TlsRptFormatException(TlsRptProblem problem, string source, string message, Exception? innerException = null)
        : base($"{source}: {message}", innerException)
    {
        Problem = problem;
        Source = source;
    }

    /// <summary>Why the report could not be read.</summary>
    public TlsRptProblem Problem { get; }

    /// <summary>The file, or the mail and attachment, that was being read.</summary>
    public new string Source { get; }
}
