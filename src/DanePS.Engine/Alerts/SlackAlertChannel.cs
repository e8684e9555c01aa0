using System.Linq;
using System.Security;
using System.Text;

namespace DanePS.Engine.Alerts;

/// <summary>A Slack incoming webhook: a header block with the subject line, then one mrkdwn section per part of the detail.</summary>
public sealed class SlackAlertChannel : WebhookAlertChannelBase
{
    /// <summary>Slack's limit on a section's text.</summary>
    internal const int MaxSectionText = 3000;

    /// <summary>Slack's limit on a header's text.</summary>
    internal const int MaxHeaderText = 150;

    /// <summary>Creates the channel for an incoming-webhook URL.</summary>
    public SlackAlertChannel(string name, AlertSeverity minimumSeverity, SecureString webhookUrl)
        : base(name, minimumSeverity, webhookUrl)
    {
    }

    /// <inheritdoc />
    public override string ChannelType => "Slack";

    /// <summary>Slack's three control characters in mrkdwn text.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <inheritdoc />
    internal override string Payload(AlertMessage message, AlertSubject subject) => HttpAlertPost.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("text", message.Subject); // the notification and fallback text
        w.WriteStartArray("blocks");
        w.WriteStartObject();
        w.WriteString("type", "header");
        w.WriteStartObject("text");
        w.WriteString("type", "plain_text");
        w.WriteString("text", Limit(message.Subject, MaxHeaderText));
        w.WriteEndObject();
        w.WriteEndObject();
        foreach (var section in message.Sections)
        {
            var text = new StringBuilder("*").Append(Escape(section.Heading)).Append("*\n");
            var lines = section.Lines.Select(Escape);
            text.Append(section.Monospace ? "```" + string.Join("\n", lines) + "```" : string.Join("\n", lines));
            w.WriteStartObject();
            w.WriteString("type", "section");
            w.WriteStartObject("text");
            w.WriteString("type", "mrkdwn");
            w.WriteString("text", Limit(text.ToString(), MaxSectionText));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static string Limit(string text, int max) => text.Length <= max ? text : text.Substring(0, max - 1) + "…";
}
