using System;
using System.Globalization;

namespace DanePS.HelpBuilder;

/// <summary>
/// A markdown help file that does not follow the format. <see cref="ToString"/> gives the MSBuild canonical
/// error form ("file(line): error CODE: message"), so the build lists the file and line like a compiler error.
/// </summary>
internal sealed class HelpSourceException : Exception
{
    /// <summary>The code MSBuild shows next to the message.</summary>
    public const string ErrorCode = "DANEPSHELP";

    public HelpSourceException(string file, int line, string message)
        : base(message)
    {
        File = file;
        Line = line;
    }

    public HelpSourceException()
    {
    }

    public HelpSourceException(string message)
        : base(message)
    {
    }

    public HelpSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The markdown file, as given to the converter.</summary>
    public string File { get; } = string.Empty;

    /// <summary>1-based line in <see cref="File"/>; 0 when the problem concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>"file(line): error DANEPSHELP: message".</summary>
    public override string ToString() => Line > 0
        ? string.Format(CultureInfo.InvariantCulture, "{0}({1}): error {2}: {3}", File, Line, ErrorCode, Message)
        : string.Format(CultureInfo.InvariantCulture, "{0}: error {1}: {2}", File, ErrorCode, Message);
}
