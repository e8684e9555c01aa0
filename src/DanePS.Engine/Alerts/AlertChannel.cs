using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>
/// Somewhere alerts go: built once (New-DaneAlertChannel) and reused by every Send-DaneAlert of a scheduled script.
/// Its secrets stay in SecureStrings; <see cref="Target"/> describes it without them.
/// </summary>
public abstract class AlertChannel
{
    private protected AlertChannel(string name, AlertSeverity minimumSeverity)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A channel needs a name: it keys what was announced on it in the state file.", nameof(name));
        }

        if (minimumSeverity == AlertSeverity.Information)
        {
            throw new ArgumentException("A channel hears Warning or Failure: there is nothing to announce below that.", nameof(minimumSeverity));
        }

        Name = name;
        MinimumSeverity = minimumSeverity;
    }

    /// <summary>The channel's name, unique among the channels of one Send-DaneAlert; it keys the state file.</summary>
    public string Name { get; }

    /// <summary>"Email", "Telegram", "Slack", "Teams" or "Webhook".</summary>
    public abstract string ChannelType { get; }

    /// <summary>Failure (the default): only failures; Warning: warnings too.</summary>
    public AlertSeverity MinimumSeverity { get; }

    /// <summary>Where messages go, with every secret masked.</summary>
    public abstract string Target { get; }

    /// <summary>Attempts, time budget and per-attempt timeout.</summary>
    public AlertRetryPolicy Retry { get; } = new();

    /// <summary>The secrets this channel holds, for redaction.</summary>
    internal abstract IEnumerable<SecureString> Secrets { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({ChannelType} {Target}, {MinimumSeverity} and above)";

    /// <summary>Sends the message, retrying within <see cref="Retry"/>; throws <see cref="AlertDeliveryException"/> when it cannot.</summary>
    /// <returns>The number of attempts made (of the last request, for messages sent in parts).</returns>
    internal abstract Task<int> SendAsync(AlertMessage message, AlertSubject subject, IReporter log, CancellationToken cancellationToken);
}
