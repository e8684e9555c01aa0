using System;
using System.Security;

namespace DanePS.Engine.Alerts;

/// <summary>
/// A generic JSON webhook (ntfy, Matrix bridges, PagerDuty gateways, your own endpoint): the body is the alert and the
/// endpoint it is about, as data; optionally with a bearer token.
/// </summary>
public sealed class WebhookAlertChannel : WebhookAlertChannelBase
{
    private readonly SecureString? _bearerToken;

    /// <summary>Creates the channel.</summary>
    public WebhookAlertChannel(string name, AlertSeverity minimumSeverity, SecureString url, SecureString? bearerToken)
        : base(name, minimumSeverity, url)
    {
        if (bearerToken is not null && bearerToken.Length > 0)
        {
            _bearerToken = bearerToken.Copy();
            _bearerToken.MakeReadOnly();
        }
    }

    /// <inheritdoc />
    public override string ChannelType => "Webhook";

    /// <inheritdoc />
    private protected override SecureString? BearerToken => _bearerToken;

    /// <inheritdoc />
    internal override string Payload(AlertMessage message, AlertSubject subject) => AlertJson.Write(message, subject, DateTimeOffset.UtcNow);
}
