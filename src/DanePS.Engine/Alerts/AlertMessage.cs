using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DanePS.Engine.Alerts;

/// <summary>One block of a message: a heading and its lines; monospace lines are records and digests, shown verbatim.</summary>
public sealed class AlertSection
{
    /// <summary>Creates a section.</summary>
    public AlertSection(string heading, IReadOnlyList<string> lines, bool monospace)
    {
        Heading = heading;
        Lines = lines;
        Monospace = monospace;
    }

    /// <summary>"What failed", "DNS publishes …", "The server presents …", "Findings".</summary>
    public string Heading { get; }

    /// <summary>The lines.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>Whether the lines are code (records, digests): verbatim, in a fixed-width font.</summary>
    public bool Monospace { get; }
}

/// <summary>
/// A message, independent of channel: a short subject line and sections of detail. Each channel renders it in its own
/// format (plain text, Telegram MarkdownV2, Slack mrkdwn, an Adaptive Card, JSON).
/// </summary>
public sealed class AlertMessage
{
    /// <summary>Creates a message.</summary>
    public AlertMessage(AlertKind kind, AlertSeverity severity, string subject, IReadOnlyList<AlertSection> sections)
    {
        Kind = kind;
        Severity = severity;
        Subject = subject;
        Sections = sections;
    }

    /// <summary>Problem or recovery.</summary>
    public AlertKind Kind { get; }

    /// <summary>The severity announced (for a recovery, that of the fault that is gone).</summary>
    public AlertSeverity Severity { get; }

    /// <summary>The subject line.</summary>
    public string Subject { get; }

    /// <summary>The detail.</summary>
    public IReadOnlyList<AlertSection> Sections { get; }

    /// <summary>The body as plain text (e-mail, logs): headings, then lines; code lines indented.</summary>
    public string ToPlainText()
    {
        var text = new StringBuilder();
        foreach (var section in Sections)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(section.Heading).Append('\n');
            foreach (var line in section.Lines)
            {
                text.Append(section.Monospace ? "    " : "  ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Subject + "\n\n" + ToPlainText();

    internal IEnumerable<string> AllText() => new[] { Subject }.Concat(Sections.SelectMany(s => new[] { s.Heading }.Concat(s.Lines)));
}
