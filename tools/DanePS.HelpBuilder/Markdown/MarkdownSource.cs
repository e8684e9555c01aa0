using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace DanePS.HelpBuilder.Markdown;

/// <summary>
/// A markdown help file split into YAML front matter and blocks (headings, paragraphs, fenced code), each with
/// its line number. Only the markdown PlatyPS writes is understood: ATX headings, fenced code, plain paragraphs.
/// </summary>
internal sealed partial class MarkdownSource
{
    /// <summary>Help pages are a few kilobytes; anything this big is a mistake, not a page.</summary>
    public const int MaxBytes = 1024 * 1024;

    private MarkdownSource(string path, IReadOnlyDictionary<string, FrontMatterEntry> frontMatter, IReadOnlyList<MarkdownBlock> blocks)
    {
        Path = path;
        FrontMatter = frontMatter;
        Blocks = blocks;
    }

    /// <summary>The file, as named in error messages.</summary>
    public string Path { get; }

    /// <summary>Front matter keys (case-sensitive, as PlatyPS writes them) with their values and lines.</summary>
    public IReadOnlyDictionary<string, FrontMatterEntry> FrontMatter { get; }

    public IReadOnlyList<MarkdownBlock> Blocks { get; }

    /// <summary>The file name without ".md": the command or topic name it must document.</summary>
    public string BaseName => System.IO.Path.GetFileNameWithoutExtension(Path);

    public HelpSourceException Error(int line, string message) => new(Path, line, message);

    public HelpSourceException Error(MarkdownBlock block, string message) => new(Path, block.Line, message);

    public static MarkdownSource Read(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxBytes)
        {
            throw new HelpSourceException(path, 0, $"the file is {info.Length} bytes; help pages above {MaxBytes} bytes are refused.");
        }

        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>Splits markdown text; <paramref name="path"/> only names the file in errors.</summary>
    public static MarkdownSource Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw new HelpSourceException(path, 0, $"the text is {text.Length} characters; help pages above {MaxBytes} are refused.");
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = 0;
        var frontMatter = ReadFrontMatter(path, lines, ref index);
        var blocks = new List<MarkdownBlock>();
        var paragraph = new List<string>();
        var paragraphStart = 0;

        void EndParagraph()
        {
            if (paragraph.Count > 0)
            {
                blocks.Add(new MarkdownBlock(MarkdownBlockKind.Paragraph, paragraphStart, 0, string.Empty, paragraph.ToArray()));
                paragraph.Clear();
            }
        }

        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            var number = index + 1;
            if (Placeholder().IsMatch(line))
            {
                throw new HelpSourceException(path, number, $"unfilled placeholder '{Placeholder().Match(line).Value}': write the text it stands for.");
            }

            var fence = FenceOpen().Match(line);
            if (fence.Success)
            {
                EndParagraph();
                var marker = fence.Groups["marker"].Value;
                var content = new List<string>();
                var close = index + 1;
                while (close < lines.Length && !IsFenceClose(lines[close], marker))
                {
                    if (Placeholder().IsMatch(lines[close]))
                    {
                        throw new HelpSourceException(path, close + 1, $"unfilled placeholder '{Placeholder().Match(lines[close]).Value}': write the code it stands for.");
                    }

                    content.Add(lines[close]);
                    close++;
                }

                if (close == lines.Length)
                {
                    throw new HelpSourceException(path, number, $"the code block opened here is never closed (expected a line '{marker}').");
                }

                blocks.Add(new MarkdownBlock(MarkdownBlockKind.Code, number, 0, fence.Groups["info"].Value.Trim(), content));
                index = close;
                continue;
            }

            var heading = Heading().Match(line);
            if (heading.Success)
            {
                EndParagraph();
                var headingText = heading.Groups["text"].Value.Trim();
                if (headingText.Length == 0)
                {
                    throw new HelpSourceException(path, number, "empty heading.");
                }

                blocks.Add(new MarkdownBlock(MarkdownBlockKind.Heading, number, heading.Groups["hashes"].Value.Length, headingText, Array.Empty<string>()));
                continue;
            }

            if (line.TrimStart().StartsWith('#') && paragraph.Count == 0 && !line.StartsWith(' '))
            {
                throw new HelpSourceException(path, number, $"'{line.Trim()}' looks like a heading but has no space after the #.");
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                EndParagraph();
                continue;
            }

            if (SetextUnderline().IsMatch(line) && paragraph.Count > 0)
            {
                throw new HelpSourceException(path, number, "underlined (setext) headings are not supported: write '## Heading'.");
            }

            if (paragraph.Count == 0)
            {
                paragraphStart = number;
            }

            paragraph.Add(line.TrimEnd('\r'));
        }

        EndParagraph();
        return new MarkdownSource(path, frontMatter, blocks);
    }

    private static Dictionary<string, FrontMatterEntry> ReadFrontMatter(string path, string[] lines, ref int index)
    {
        var entries = new Dictionary<string, FrontMatterEntry>(StringComparer.Ordinal);
        if (lines.Length == 0 || lines[0].TrimEnd() != "---")
        {
            return entries;
        }

        for (index = 1; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd();
            if (line == "---")
            {
                index++;
                return entries;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var entry = FrontMatterLine().Match(line);
            if (!entry.Success)
            {
                throw new HelpSourceException(path, index + 1, $"'{line}' is not a 'key: value' line of the front matter.");
            }

            var key = entry.Groups["key"].Value.Trim();
            if (!entries.TryAdd(key, new FrontMatterEntry(entry.Groups["value"].Value.Trim(), index + 1)))
            {
                throw new HelpSourceException(path, index + 1, $"front matter key '{key}' appears twice.");
            }
        }

        throw new HelpSourceException(path, 1, "the front matter opened here is never closed (expected a line '---').");
    }

    private static bool IsFenceClose(string line, string marker)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= marker.Length && trimmed.Trim(marker[0]).Length == 0;
    }

    [GeneratedRegex(@"^(?<marker>```+|~~~+)(?<info>[^`]*)$")]
    private static partial Regex FenceOpen();

    [GeneratedRegex(@"^(?<hashes>#{1,6})[ \t]+(?<text>.*?)[ \t]*#*[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(=+|-{2,})\s*$")]
    private static partial Regex SetextUnderline();

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9 ._-]*):(?<value>.*)$")]
    private static partial Regex FrontMatterLine();

    // PlatyPS's unfilled template text: "{{ Fill in the Synopsis }}", "{{ Add example code here }}".
    [GeneratedRegex(@"\{\{[^}]*\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>A front matter value and the line it is on.</summary>
internal sealed record FrontMatterEntry(string Value, int Line);
