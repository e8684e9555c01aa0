using System;
using System.Linq;
using DanePS.Engine.Alerts;
using Xunit;

namespace DanePS.Tests.Alerts;

public class TelegramMarkdownTests
{
    [Fact]
    public void The_checker_rejects_what_Telegram_rejects()
    {
        Assert.NotEmpty(MarkdownV2Checker.Check("mail.example.com"));
        Assert.NotEmpty(MarkdownV2Checker.Check("*bold"));
        Assert.NotEmpty(MarkdownV2Checker.Check("```\nunescaped ` tick\n```"));
        Assert.NotEmpty(MarkdownV2Checker.Check("a (b)"));
        Assert.Empty(MarkdownV2Checker.Check("mail\\.example\\.com *bold* ```\n3 1 1 AB.CD\n```"));
    }

    [Fact]
    public void Every_reserved_character_outside_code_is_escaped_and_reads_back_as_itself()
    {
        const string all = "_*[]()~`>#+-=|{}.!\\ plain";
        var escaped = TelegramMarkdown.Escape(all);
        Assert.Empty(MarkdownV2Checker.Check(escaped));
        Assert.Equal(all, Unescape(escaped));
    }

    [Fact]
    public void Inside_code_only_backtick_and_backslash_are_escaped()
    {
        Assert.Equal("a.b-c \\` \\\\", TelegramMarkdown.EscapeCode("a.b-c ` \\"));
        Assert.Empty(MarkdownV2Checker.Check("```\n" + TelegramMarkdown.EscapeCode("_25._tcp.x ` \\ (y)") + "\n```"));
    }

    [Fact]
    public void A_rendered_failure_with_host_names_digests_and_punctuation_obeys_the_grammar()
    {
        var text = TelegramMarkdown.Render(AlertMessageBuilder.Problem(AlertTestData.Failing("mx-1.dane_test.example")));
        Assert.Empty(MarkdownV2Checker.Check(text));
        Assert.Contains("```\n" + AlertTestData.StaleRecord + "\n", text, StringComparison.Ordinal);
        Assert.StartsWith("*DANE Fail: mx\\-1\\.dane\\_test\\.example:25*", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_message_is_split_at_line_boundaries_each_part_valid_and_nothing_lost()
    {
        var lines = Enumerable.Range(0, 300).Select(i => $"3 1 1 {i:D4}{new string('A', 60)}").ToArray();
        var subject = new AlertSubject("big.example", 25, null, Array.Empty<AlertCheck>(), "_25._tcp.big.example.", "Secure", lines, Array.Empty<AlertFinding>());
        var text = TelegramMarkdown.Render(AlertMessageBuilder.Problem(subject));
        Assert.True(text.Length > TelegramMarkdown.MaxMessageLength);

        var parts = TelegramMarkdown.Split(text);
        Assert.True(parts.Count >= 5);
        foreach (var part in parts)
        {
            Assert.InRange(part.Length, 1, TelegramMarkdown.MaxMessageLength);
            Assert.Empty(MarkdownV2Checker.Check(part));
        }

        // Every record line arrives whole, in order, exactly once.
        var arrived = parts.SelectMany(p => p.Split('\n')).Where(l => l.StartsWith("3 1 1 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(lines, arrived);
    }

    [Fact]
    public void A_line_longer_than_a_message_is_cut_but_never_between_a_backslash_and_what_it_escapes()
    {
        var line = string.Concat(Enumerable.Repeat("a.", 5000));
        var parts = TelegramMarkdown.Split(TelegramMarkdown.Escape(line));
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.Empty(MarkdownV2Checker.Check(p)));
        Assert.Equal(line, string.Concat(parts.Select(Unescape)));
    }

    private static string Unescape(string text)
    {
        var s = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            s.Append(text[i]);
        }

        return s.ToString();
    }
}
