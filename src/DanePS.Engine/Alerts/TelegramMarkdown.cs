using System;
using System.Collections.Generic;
using System.Text;

namespace DanePS.Engine.Alerts;

/// <summary>
/// Telegram's MarkdownV2 (Bot API, "Formatting options"): escaping by its rules and splitting at its length limit.
/// Outside code every one of <c>_ * [ ] ( ) ~ ` &gt; # + - = | { } . !</c> and <c>\</c> is escaped with a backslash;
/// inside code and pre blocks only <c>`</c> and <c>\</c>. Anything else makes Telegram reject the whole message, and a
/// host name or a hex digest is full of dots.
/// </summary>
public static class TelegramMarkdown
{
    /// <summary>Telegram's limit on a message's text.</summary>
    public const int MaxMessageLength = 4096;

    private const string Fence = "```";
    private const string ReservedOutsideCode = "_*[]()~`>#+-=|{}.!\\";

    /// <summary>Escapes text for use outside code.</summary>
    public static string Escape(string text) => EscapeWith(text, ReservedOutsideCode);

    /// <summary>Escapes text for use inside a code or pre entity.</summary>
    public static string EscapeCode(string text) => EscapeWith(text, "`\\");

    /// <summary>The message as MarkdownV2: the subject in bold, headings in bold, record lines in pre blocks.</summary>
    public static string Render(AlertMessage message)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        var text = new StringBuilder();
        text.Append('*').Append(Escape(message.Subject)).Append("*\n");
        foreach (var section in message.Sections)
        {
            text.Append('\n').Append('*').Append(Escape(section.Heading)).Append("*\n");
            if (section.Monospace)
            {
                text.Append(Fence).Append('\n');
                foreach (var line in section.Lines)
                {
                    text.Append(EscapeCode(line)).Append('\n');
                }

                text.Append(Fence).Append('\n');
            }
            else
            {
                foreach (var line in section.Lines)
                {
                    text.Append(Escape(line)).Append('\n');
                }
            }
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// Splits rendered MarkdownV2 into messages of at most <paramref name="limit"/> characters, at line boundaries: a
    /// pre block cut in two is closed at the end of one part and opened again at the start of the next; only a line
    /// longer than a whole message is cut inside, never between a backslash and the character it escapes.
    /// </summary>
    public static IReadOnlyList<string> Split(string markdown, int limit = MaxMessageLength)
    {
        if (markdown is null)
        {
            throw new ArgumentNullException(nameof(markdown));
        }

        if (limit < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "A part must hold at least a fence and a line.");
        }

        var parts = new List<string>();
        var current = new StringBuilder();
        var inPre = false;
        var closing = Fence.Length + 1; // "\n```" closes a pre block cut at the end of a part

        void Flush()
        {
            var pending = current.ToString();
            var close = inPre;
            if (inPre && pending.EndsWith(Fence + "\n", StringComparison.Ordinal))
            {
                // A pre block opened just now (or the reopened one): it moves whole to the next part.
                pending = pending.Substring(0, pending.Length - Fence.Length - 1);
                close = false;
            }

            var text = pending.TrimEnd('\n');
            if (text.Length > 0)
            {
                parts.Add(close ? text + "\n" + Fence : text);
            }

            current.Clear();
            if (inPre)
            {
                current.Append(Fence).Append('\n');
            }
        }

        foreach (var rawLine in markdown.Split('\n'))
        {
            var isFence = rawLine.StartsWith(Fence, StringComparison.Ordinal);
            var line = rawLine;
            while (true)
            {
                var reserve = inPre || isFence ? closing : 0;
                var room = limit - current.Length - reserve;
                if (line.Length + 1 <= room)
                {
                    current.Append(line).Append('\n');
                    break;
                }

                var fresh = inPre ? Fence.Length + 1 : 0;
                if (current.Length > fresh)
                {
                    Flush();
                    continue;
                }

                // A line longer than a whole part: cut it, at a safe place.
                var cut = SafeCut(line, Math.Max(1, room - 1));
                current.Append(line, 0, cut).Append('\n');
                line = line.Substring(cut);
                Flush();
            }

            if (isFence)
            {
                inPre = !inPre;
            }
        }

        inPre = false;
        Flush();
        return parts;
    }

    private static int SafeCut(string line, int max)
    {
        var cut = Math.Min(max, line.Length);
        if (cut < line.Length && char.IsLowSurrogate(line[cut]))
        {
            cut--;
        }

        // Never leave a part ending in an escaping backslash: count the backslashes before the cut.
        var backslashes = 0;
        for (var i = cut - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }

        if (backslashes % 2 == 1)
        {
            cut--;
        }

        return Math.Max(1, cut);
    }

    private static string EscapeWith(string text, string reserved)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (reserved.IndexOf(c) >= 0)
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
