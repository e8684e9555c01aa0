using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DanePS.HelpBuilder.Markdown;

namespace DanePS.HelpBuilder.About;

/// <summary>
/// An about topic ("about_DanePS.md"): '# about_Name', '## Short description' (one paragraph),
/// '## Long description', then any '##'/'###' sections. Rendered as the plain text Get-Help prints.
/// </summary>
internal sealed class AboutTopic
{
    /// <summary>Text width of the rendered topic, as the about topics that ship with PowerShell.</summary>
    public const int Width = 80;

    private const string Indent = "    ";

    private AboutTopic(string name, string shortDescription, IReadOnlyList<MarkdownBlock> body)
    {
        Name = name;
        ShortDescription = shortDescription;
        Body = body;
    }

    public string Name { get; }

    public string ShortDescription { get; }

    /// <summary>Everything from '## Long description' on.</summary>
    public IReadOnlyList<MarkdownBlock> Body { get; }

    /// <summary>The output file name: Get-Help finds about topics as "&lt;name&gt;.help.txt".</summary>
    public string FileName => Name + ".help.txt";

    public static AboutTopic Parse(MarkdownSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var blocks = source.Blocks;
        if (blocks.Count == 0 || !blocks[0].IsHeading(1))
        {
            throw source.Error(blocks.Count == 0 ? 1 : blocks[0].Line, "an about topic starts with '# about_Name'.");
        }

        var name = blocks[0].Text;
        if (!string.Equals(name, source.BaseName, StringComparison.Ordinal) || !name.StartsWith("about_", StringComparison.Ordinal))
        {
            throw source.Error(blocks[0], $"the title '{name}' must be the file name '{source.BaseName}' (about_Name).");
        }

        if (blocks.Count < 2 || !IsSection(blocks[1], "Short description"))
        {
            throw source.Error(blocks.Count < 2 ? blocks[0].Line : blocks[1].Line, "'## Short description' comes right after the title.");
        }

        if (blocks.Count < 3 || blocks[2].Kind != MarkdownBlockKind.Paragraph || (blocks.Count > 3 && !blocks[3].IsHeading(2)))
        {
            throw source.Error(blocks[1], "'## Short description' is one paragraph of text, followed by '## Long description'.");
        }

        if (blocks.Count < 4 || !IsSection(blocks[3], "Long description"))
        {
            throw source.Error(blocks.Count < 4 ? blocks[2].Line : blocks[3].Line, "'## Long description' follows the short description.");
        }

        if (blocks.Count < 5 || blocks[4].Kind == MarkdownBlockKind.Heading)
        {
            throw source.Error(blocks[3], "'## Long description' is empty.");
        }

        foreach (var block in blocks.Skip(1))
        {
            if (block.Kind == MarkdownBlockKind.Heading && block.Level is 1 or > 3)
            {
                throw source.Error(block, "about topics use '##' sections and '###' subsections only.");
            }
        }

        var shortDescription = Prose.Paragraph(blocks[2].Lines).Replace('\n', ' ');
        return new AboutTopic(name, shortDescription, blocks.Skip(3).ToList());
    }

    /// <summary>
    /// The topic as text; headings are followed directly by their text, as in PowerShell's own about topics.
    /// The short description stays on line 5, unwrapped: Windows PowerShell and PowerShell 7
    /// take line 5 of an about file as its synopsis.
    /// </summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("TOPIC\n").Append(Indent).Append(Name).Append("\n\n");
        text.Append("SHORT DESCRIPTION\n").Append(Indent).Append(ShortDescription).Append('\n');
        var afterHeading = false;
        foreach (var block in Body)
        {
            if (!afterHeading)
            {
                text.Append('\n');
            }

            afterHeading = block.Kind == MarkdownBlockKind.Heading;
            switch (block.Kind)
            {
                case MarkdownBlockKind.Heading when block.Level == 2:
                    text.Append(block.Text.ToUpperInvariant()).Append('\n');
                    break;
                case MarkdownBlockKind.Heading:
                    text.Append("  ").Append(Prose.Inline(block.Text)).Append('\n');
                    break;
                case MarkdownBlockKind.Code:
                    text.Append(Prose.Code(block.Lines, Indent + Indent)).Append('\n');
                    break;
                default:
                    AppendParagraph(text, block.Lines);
                    break;
            }
        }

        return text.ToString();
    }

    private static bool IsSection(MarkdownBlock block, string title) =>
        block.IsHeading(2) && string.Equals(block.Text, title, StringComparison.OrdinalIgnoreCase);

    private static void AppendParagraph(StringBuilder text, IReadOnlyList<string> lines)
    {
        if (lines.All(l => l.TrimStart().StartsWith('|')))
        {
            // A table: kept as written, it is already laid out in columns.
            foreach (var line in lines)
            {
                text.Append(Indent).Append(line.Trim()).Append('\n');
            }

            return;
        }

        foreach (var line in Prose.Paragraph(lines).Split('\n'))
        {
            var marker = ListMarker(line);
            Wrap(text, line, Indent, Indent + new string(' ', marker));
        }
    }

    private static int ListMarker(string line)
    {
        if (!Prose.IsListItem(line))
        {
            return 0;
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space + 1;
    }

    private static void Wrap(StringBuilder text, string line, string firstIndent, string nextIndent)
    {
        var current = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && current.Length + 1 + word.Length > Width)
            {
                text.Append(current).Append('\n');
                current.Clear().Append(nextIndent);
                empty = true;
            }

            if (!empty)
            {
                current.Append(' ');
            }

            current.Append(word);
            empty = false;
        }

        text.Append(current).Append('\n');
    }
}
