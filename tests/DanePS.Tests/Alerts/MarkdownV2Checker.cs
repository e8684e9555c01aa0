using System.Collections.Generic;
using System.Globalization;

namespace DanePS.Tests.Alerts;

/// <summary>
/// Checks text against Telegram's MarkdownV2 grammar as the Bot API documents it ("Formatting options"), written from
/// that page and not from DanePS's escaper:
/// - entities: *bold*, _italic_, __underline__, ~strikethrough~, ||spoiler||, `inline code`, ```pre``` (optionally
///   ```language), [text](url), and &gt; block quotes at the start of a line;
/// - inside pre and code entities, every ` and \ must be escaped with a preceding \;
/// - in all other places the characters _ * [ ] ( ) ~ ` &gt; # + - = | { } . ! must be escaped with a preceding \
///   unless they open or close an entity;
/// - any character with code 1 to 126 may be escaped anywhere with a preceding \;
/// - entities must be closed, and must not overlap.
/// Returns the problems found (empty when Telegram would accept the text).
/// </summary>
public static class MarkdownV2Checker
{
    private const string MustEscape = "_*[]()~`>#+-=|{}.!";

    public static List<string> Check(string text)
    {
        var problems = new List<string>();
        var open = new Stack<string>();
        var i = 0;
        var lineStart = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    problems.Add($"a lone '\\' at the end (offset {i})");
                    break;
                }

                if (text[i + 1] < 1 || text[i + 1] > 126)
                {
                    problems.Add($"'\\' before '{text[i + 1]}' (offset {i}), which cannot be escaped");
                }

                i += 2;
                lineStart = false;
                continue;
            }

            if (c == '`')
            {
                var fence = text.Length - i >= 3 && text.Substring(i, 3) == "```";
                var delimiter = fence ? "```" : "`";
                var end = FindCodeEnd(text, i + delimiter.Length, delimiter, problems);
                if (end < 0)
                {
                    problems.Add($"'{delimiter}' at offset {i} is never closed");
                    break;
                }

                i = end + delimiter.Length;
                lineStart = false;
                continue;
            }

            if (c == '>' && lineStart)
            {
                i++; // a block quote marker
                lineStart = false;
                continue;
            }

            string? entity = c switch
            {
                '*' => "*",
                '~' => "~",
                '_' => i + 1 < text.Length && text[i + 1] == '_' ? "__" : "_",
                '|' => i + 1 < text.Length && text[i + 1] == '|' ? "||" : null,
                _ => null,
            };
            if (entity is not null)
            {
                if (open.Count > 0 && open.Peek() == entity)
                {
                    open.Pop();
                }
                else if (open.Contains(entity))
                {
                    problems.Add($"entity '{entity}' closed across another at offset {i}");
                }
                else
                {
                    open.Push(entity);
                }

                i += entity.Length;
                lineStart = false;
                continue;
            }

            if (c == '[' || c == ']' || c == '(' || c == ')')
            {
                // This checker accepts no links: DanePS sends none, and a bracket outside one must be escaped.
                problems.Add($"unescaped '{c}' at offset {i}");
            }
            else if (MustEscape.Contains(c, System.StringComparison.Ordinal))
            {
                problems.Add(string.Format(CultureInfo.InvariantCulture, "unescaped '{0}' at offset {1}", c, i));
            }

            lineStart = c == '\n';
            i++;
        }

        foreach (var entity in open)
        {
            problems.Add($"entity '{entity}' is never closed");
        }

        return problems;
    }

    /// <summary>The entity's closing delimiter; inside, every ` and \ must be escaped.</summary>
    private static int FindCodeEnd(string text, int from, string delimiter, List<string> problems)
    {
        var i = from;
        while (i < text.Length)
        {
            if (text[i] == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] < 1 || text[i + 1] > 126)
                {
                    problems.Add($"'\\' inside code at offset {i} escapes nothing that can be escaped");
                }

                i += 2;
                continue;
            }

            if (text[i] == '`')
            {
                if (string.CompareOrdinal(text, i, delimiter, 0, delimiter.Length) == 0)
                {
                    return i;
                }

                problems.Add($"unescaped '`' inside code at offset {i}");
            }

            i++;
        }

        return -1;
    }
}
