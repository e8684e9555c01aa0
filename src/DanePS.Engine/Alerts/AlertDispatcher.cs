using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>
/// Decides who hears what, once per incident, and sends it. A subject at or above a channel's minimum severity is a
/// problem for that channel: announced when it is new or its fault changed, held back while the same fault was
/// announced there within the suppression window, announced again after it. A subject below it (passing again, or
/// only warnings on a failures-only channel) whose fault that channel was told of is a recovery, announced once. A
/// failed delivery changes nothing in the store, so the next run tries again.
/// </summary>
public sealed class AlertDispatcher
{
    private readonly IReadOnlyList<AlertChannel> _channels;
    private readonly AlertStateStore _store;
    private readonly IReporter _log;

    /// <summary>Creates a dispatcher; <paramref name="log"/> should already redact (a <see cref="RedactingReporter"/> over <see cref="CreateRedactor"/>).</summary>
    public AlertDispatcher(IReadOnlyList<AlertChannel> channels, AlertStateStore store, TimeSpan suppressFor, IReporter log)
    {
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        if (suppressFor < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(suppressFor), "The suppression window cannot be negative.");
        }

        SuppressFor = suppressFor;
        var duplicate = channels.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two channels are named '{duplicate.Key}': give each its own -Name, since the name keys what was announced on it.", nameof(channels));
        }
    }

    /// <summary>How long the same fault is not announced again on a channel.</summary>
    public TimeSpan SuppressFor { get; }

    /// <summary>A redactor for every secret of the given channels.</summary>
    public static SecretRedactor CreateRedactor(IEnumerable<AlertChannel> channels) =>
        new((channels ?? throw new ArgumentNullException(nameof(channels))).SelectMany(c => c.Secrets));

    /// <summary>What this run sends (or holds back), in subject order, then channel order.</summary>
    public IReadOnlyList<PlannedAlert> Plan(IEnumerable<AlertSubject> subjects, DateTimeOffset now)
    {
        var plan = new List<PlannedAlert>();
        foreach (var subject in subjects ?? throw new ArgumentNullException(nameof(subjects)))
        {
            foreach (var channel in _channels)
            {
                var entry = _store.Find(subject.Key, channel.Name);
                var heard = subject.Severity != AlertSeverity.Information && subject.Severity >= channel.MinimumSeverity;
                if (heard)
                {
                    var message = AlertMessageBuilder.Problem(subject);
                    if (entry is null)
                    {
                        plan.Add(new PlannedAlert(channel, subject, message, subject.Fault, false, "new incident"));
                    }
                    else if (!string.Equals(entry.Fault, subject.Fault, StringComparison.Ordinal))
                    {
                        plan.Add(new PlannedAlert(channel, subject, message, subject.Fault, false, "the fault changed (was: " + entry.Fault + ")"));
                    }
                    else if (now - entry.AnnouncedAt < SuppressFor)
                    {
                        plan.Add(new PlannedAlert(channel, subject, message, subject.Fault, true, string.Format(
                            CultureInfo.InvariantCulture, "announced at {0:u}; not again before {1:u}", entry.AnnouncedAt.ToUniversalTime(), (entry.AnnouncedAt + SuppressFor).ToUniversalTime())));
                    }
                    else
                    {
                        plan.Add(new PlannedAlert(channel, subject, message, subject.Fault, false, string.Format(
                            CultureInfo.InvariantCulture, "still unresolved since it was announced at {0:u}", entry.AnnouncedAt.ToUniversalTime())));
                    }
                }
                else if (entry is not null)
                {
                    plan.Add(new PlannedAlert(channel, subject, AlertMessageBuilder.Recovery(subject, entry.Fault, entry.Severity), entry.Fault, false, "recovered from " + entry.Fault));
                }
            }
        }

        return plan;
    }

    /// <summary>The result for a planned message that is held back.</summary>
    public static AlertDelivery Suppressed(PlannedAlert planned, DateTimeOffset now) =>
        new(planned ?? throw new ArgumentNullException(nameof(planned)), AlertDeliveryStatus.Suppressed, planned.Reason, 0, now, null);

    /// <summary>
    /// Sends a planned message and records it in the store (saved at once). A failure is returned, not thrown, with the
    /// exception (secrets masked) beside it. The store is saved after each message sent; its IOException is thrown.
    /// </summary>
    public async Task<(AlertDelivery Delivery, AlertDeliveryException? Failure)> DeliverAsync(PlannedAlert planned, SecretRedactor redactor, Func<DateTimeOffset> clock, CancellationToken cancellationToken)
    {
        if (planned is null)
        {
            throw new ArgumentNullException(nameof(planned));
        }

        if (redactor is null)
        {
            throw new ArgumentNullException(nameof(redactor));
        }

        if (clock is null)
        {
            throw new ArgumentNullException(nameof(clock));
        }

        _log.Verbose(string.Format(CultureInfo.InvariantCulture, "Sending '{0}' to {1} ({2} {3}): {4}.", planned.Message.Subject, planned.Channel.Name, planned.Channel.ChannelType, planned.Channel.Target, planned.Reason));
        int attempts;
        try
        {
            attempts = await planned.Channel.SendAsync(planned.Message, planned.Subject, _log, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var delivery = ex as AlertDeliveryException ?? new AlertDeliveryException(ex.Message, 1, false, ex);
            var redacted = (AlertDeliveryException)redactor.Redact(delivery);
            var message = string.Format(CultureInfo.InvariantCulture, "{0} ({1}) could not deliver '{2}': {3}", planned.Channel.Name, planned.Channel.ChannelType, planned.Message.Subject, redacted.Message);
            var failure = new AlertDeliveryException(message, redacted.Attempts, redacted.Transient, redacted.InnerException);
            return (new AlertDelivery(planned, AlertDeliveryStatus.Failed, "not delivered; the next run tries again", delivery.Attempts, clock(), redacted.Message), failure);
        }

        // Sent: remembered at once (an IOException here is the store's, not the channel's, and goes to the caller).
        var now = clock();
        if (planned.Message.Kind == AlertKind.Problem)
        {
            _store.Record(planned.Subject.Key, planned.Channel.Name, planned.Fault, planned.Message.Severity, now);
        }
        else
        {
            _store.Forget(planned.Subject.Key, planned.Channel.Name);
        }

        _store.Save();
        return (new AlertDelivery(planned, AlertDeliveryStatus.Sent, planned.Reason, attempts, now, null), null);
    }
}
