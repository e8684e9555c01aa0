using System.Collections.Generic;

namespace DanePS.HelpBuilder.Markdown;

/// <summary>What a block of a markdown help file is.</summary>
internal enum MarkdownBlockKind
{
    /// <summary>An ATX heading: "## SYNOPSIS".</summary>
    Heading,
    /// <summary>Consecutive non-blank text lines.</summary>
    Paragraph,
    /// <summary>A fenced code block.</summary>
    Code,
}

/// <summary>One block of a markdown file with the line it starts on, so errors can point at it.</summary>
internal sealed class MarkdownBlock
{
    public MarkdownBlock(MarkdownBlockKind kind, int line, int level, string text, IReadOnlyList<string> lines)
    {
        Kind = kind;
        Line = line;
        Level = level;
        Text = text;
        Lines = lines;
    }

    public MarkdownBlockKind Kind { get; }

    /// <summary>1-based line of the heading, first text line, or opening fence.</summary>
    public int Line { get; }

    /// <summary>Heading level (number of #); 0 for other blocks.</summary>
    public int Level { get; }

    /// <summary>Heading text, or a code block's info string ("yaml", "powershell").</summary>
    public string Text { get; }

    /// <summary>Paragraph lines, or the code block's content lines (without the fences).</summary>
    public IReadOnlyList<string> Lines { get; }

    public bool IsHeading(int level) => Kind == MarkdownBlockKind.Heading && Level == level;

    public override string ToString() => Kind switch
    {
        MarkdownBlockKind.Heading => new string('#', Level) + " " + Text,
        MarkdownBlockKind.Code => "```" + Text,
        _ => Lines.Count > 0 ? Lines[0] : string.Empty,
    };
}
