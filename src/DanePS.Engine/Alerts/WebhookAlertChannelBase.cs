using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>A channel that POSTs JSON to a URL that is itself a secret (Slack, Teams, most webhook gateways).</summary>
public abstract class WebhookAlertChannelBase : AlertChannel
{
    private readonly SecureString _url;

    private protected WebhookAlertChannelBase(string name, AlertSeverity minimumSeverity, SecureString url)
        : base(name, minimumSeverity)
    {
        if (url is null || url.Length == 0)
        {
            throw new ArgumentException("Give the webhook URL.", nameof(url));
        }

        var uri = HttpAlertPost.CheckAddress(new Uri(SecretRedactor.Reveal(url), UriKind.RelativeOrAbsolute), "The webhook URL");
        _url = url.Copy();
        _url.MakeReadOnly();
        Target = HttpAlertPost.Describe(uri);
    }

    /// <inheritdoc />
    public override string Target { get; }

    /// <inheritdoc />
    internal override IEnumerable<SecureString> Secrets => BearerToken is { } token ? new[] { _url, token } : new[] { _url };

    /// <summary>The JSON body for a message.</summary>
    internal abstract string Payload(AlertMessage message, AlertSubject subject);

    /// <summary>A bearer token to send, if any (revealed for the request alone).</summary>
    private protected virtual SecureString? BearerToken => null;

    /// <inheritdoc />
    internal override Task<int> SendAsync(AlertMessage message, AlertSubject subject, IReporter log, CancellationToken cancellationToken)
    {
        var json = Payload(message, subject);
        var bearer = BearerToken is { } token ? SecretRedactor.Reveal(token) : null;
        return HttpAlertPost.PostJsonAsync(new Uri(SecretRedactor.Reveal(_url)), json, bearer, ChannelType + " " + Target, Retry, log, cancellationToken);
    }
}
