using System.Security;

namespace DanePS.Engine.Alerts;

/// <summary>
/// Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is received"): a message
/// whose one attachment is an Adaptive Card (version 1.4), the form those workflows accept since Office 365
/// connectors were retired.
/// </summary>
public sealed class TeamsAlertChannel : WebhookAlertChannelBase
{
    /// <summary>Creates the channel for a workflow's webhook URL.</summary>
    public TeamsAlertChannel(string name, AlertSeverity minimumSeverity, SecureString webhookUrl)
        : base(name, minimumSeverity, webhookUrl)
    {
    }

    /// <inheritdoc />
    public override string ChannelType => "Teams";

    /// <inheritdoc />
    internal override string Payload(AlertMessage message, AlertSubject subject) => HttpAlertPost.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteStartArray("attachments");
        w.WriteStartObject();
        w.WriteString("contentType", "application/vnd.microsoft.card.adaptive");
        w.WriteNull("contentUrl");
        w.WriteStartObject("content");
        w.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        w.WriteString("type", "AdaptiveCard");
        w.WriteString("version", "1.4");
        w.WriteStartArray("body");
        TextBlock(w, message.Subject, bolder: true, monospace: false, color: message.Kind == AlertKind.Recovery ? "Good" : message.Severity == AlertSeverity.Failure ? "Attention" : "Warning");
        foreach (var section in message.Sections)
        {
            TextBlock(w, section.Heading, bolder: true, monospace: false, color: null);
            // Adaptive Cards read markdown in TextBlocks; each line is its own block, so nothing in it is read as markup
            // by accident across lines, and records keep a fixed-width font.
            foreach (var line in section.Lines)
            {
                TextBlock(w, line, bolder: false, monospace: section.Monospace, color: null);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void TextBlock(System.Text.Json.Utf8JsonWriter w, string text, bool bolder, bool monospace, string? color)
    {
        w.WriteStartObject();
        w.WriteString("type", "TextBlock");
        w.WriteString("text", text);
        w.WriteBoolean("wrap", true);
        if (bolder)
        {
            w.WriteString("weight", "Bolder");
        }

        if (monospace)
        {
            w.WriteString("fontType", "Monospace");
        }

        if (color is not null)
        {
            w.WriteString("color", color);
            w.WriteString("size", "Medium");
        }

        w.WriteEndObject();
    }
}
