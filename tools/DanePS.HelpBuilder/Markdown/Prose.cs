using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace DanePS.HelpBuilder.Markdown;

/// <summary>
/// Markdown prose as the plain paragraphs Get-Help prints: wrapped lines joined, list items kept on their own
/// lines, links reduced to their text (and address when it is not another help page), escapes removed.
/// </summary>
internal static partial class Prose
{
    /// <summary>Paragraph and code blocks as paragraphs; code is kept line for line, indented by four spaces.</summary>
    public static List<string> Paragraphs(IEnumerable<MarkdownBlock> blocks)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            paragraphs.Add(block.Kind == MarkdownBlockKind.Code ? Code(block.Lines, "    ") : Paragraph(block.Lines));
        }

        return paragraphs;
    }

    /// <summary>One paragraph: soft-wrapped lines joined with spaces, list items and hard breaks on new lines.</summary>
    public static string Paragraph(IReadOnlyList<string> lines)
    {
        var text = new StringBuilder();
        var hardBreak = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (text.Length > 0)
            {
                text.Append(hardBreak || IsListItem(line) ? "\n" : " ");
            }

            hardBreak = raw.EndsWith("  ", System.StringComparison.Ordinal);
            text.Append(Inline(line));
        }

        return text.ToString();
    }

    /// <summary>Code lines as they are, with common indentation removed and a prefix added.</summary>
    public static string Code(IReadOnlyList<string> lines, string prefix = "")
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Trim().Length == 0 ? string.Empty : prefix + l.Substring(indent).TrimEnd()));
    }

    public static bool IsListItem(string line) => ListItem().IsMatch(line);

    /// <summary>Links become their text ("text (https://…)" for web addresses); backslash escapes are removed.</summary>
    public static string Inline(string text)
    {
        text = Link().Replace(text, m =>
        {
            var label = m.Groups["text"].Value;
            var uri = m.Groups["uri"].Value.Trim();
            return uri.StartsWith("http://", System.StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", System.StringComparison.OrdinalIgnoreCase)
                ? $"{label} ({uri})"
                : label;
        });
        return Escape().Replace(text, "$1");
    }

    [GeneratedRegex(@"^([-*+]|\d{1,3}[.)])\s+")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"(?<!!)\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!<>|])")]
    private static partial Regex Escape();
}
