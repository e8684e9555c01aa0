using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>
/// Telegram Bot API <c>sendMessage</c> with <c>parse_mode</c> MarkdownV2, escaped by Telegram's rules; a message over
/// 4096 characters goes in several parts, split at line boundaries.
/// </summary>
public sealed class TelegramAlertChannel : AlertChannel
{
    /// <summary>The public Bot API server.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.telegram.org/");

    private readonly SecureString _botToken;

    /// <summary>Creates the channel; <paramref name="baseAddress"/> for a self-hosted Bot API server, a proxy or a test.</summary>
    public TelegramAlertChannel(string name, AlertSeverity minimumSeverity, SecureString botToken, string chatId, Uri? baseAddress)
        : base(name, minimumSeverity)
    {
        if (botToken is null || botToken.Length == 0)
        {
            throw new ArgumentException("Give the bot token BotFather issued.", nameof(botToken));
        }

        if (string.IsNullOrWhiteSpace(chatId))
        {
            throw new ArgumentException("Give the chat id (a number, or @channelname).", nameof(chatId));
        }

        _botToken = botToken.Copy();
        _botToken.MakeReadOnly();
        ChatId = chatId;
        BaseAddress = HttpAlertPost.CheckAddress(baseAddress ?? DefaultBaseAddress, "The Telegram base address");
    }

    /// <summary>The chat the bot writes to.</summary>
    public string ChatId { get; }

    /// <summary>The Bot API server.</summary>
    public Uri BaseAddress { get; }

    /// <inheritdoc />
    public override string ChannelType => "Telegram";

    /// <inheritdoc />
    public override string Target => string.Format(CultureInfo.InvariantCulture, "chat {0} via {1}", ChatId, DisplayAddress);

    /// <inheritdoc />
    internal override IEnumerable<SecureString> Secrets => new[] { _botToken };

    private string DisplayAddress => WithSlash(BaseAddress).AbsoluteUri + "bot" + SecretRedactor.Mask + "/sendMessage";

    /// <inheritdoc />
    internal override async Task<int> SendAsync(AlertMessage message, AlertSubject subject, IReporter log, CancellationToken cancellationToken)
    {
        var parts = TelegramMarkdown.Split(TelegramMarkdown.Render(message));
        var attempts = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var text = parts[i];
            var json = HttpAlertPost.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("chat_id", ChatId);
                w.WriteString("text", text);
                w.WriteString("parse_mode", "MarkdownV2");
                w.WriteBoolean("disable_web_page_preview", true);
                w.WriteEndObject();
            });
            var target = parts.Count == 1 ? "Telegram " + DisplayAddress : string.Format(CultureInfo.InvariantCulture, "Telegram {0} (part {1} of {2})", DisplayAddress, i + 1, parts.Count);

            // The token is revealed for the request alone.
            // Concatenated, not resolved as a relative URI: "bot123:ABC" would read as a URI scheme.
            var uri = new Uri(WithSlash(BaseAddress).AbsoluteUri + "bot" + SecretRedactor.Reveal(_botToken) + "/sendMessage");
            attempts = await HttpAlertPost.PostJsonAsync(uri, json, null, target, Retry, log, cancellationToken).ConfigureAwait(false);
        }

        return attempts;
    }

    private static Uri WithSlash(Uri address) => address.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? address : new Uri(address.AbsoluteUri + "/");
}
