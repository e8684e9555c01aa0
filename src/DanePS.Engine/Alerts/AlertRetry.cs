using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>Runs one request under an <see cref="AlertRetryPolicy"/>: bounded attempts, bounded time.</summary>
internal static class AlertRetry
{
    /// <summary>A refusal that will not pass by itself: not retried.</summary>
    public static AlertDeliveryException Permanent(string message, Exception? inner = null) => new(message, 1, false, inner);

    /// <summary>A failure that may pass: retried after <paramref name="retryAfter"/> (or the policy's back-off).</summary>
    public static AlertDeliveryException Transient(string message, TimeSpan? retryAfter = null, Exception? inner = null) =>
        new(message, 1, true, inner) { RetryAfter = retryAfter };

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the policy is spent.</summary>
    /// <returns>The number of attempts made.</returns>
    public static async Task<int> RunAsync(AlertRetryPolicy policy, IReporter log, string target, Func<CancellationToken, Task> attempt, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delay = policy.FirstDelay;
        for (var n = 1; ; n++)
        {
            AlertDeliveryException failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var remaining = policy.Budget - clock.Elapsed;
                timeout.CancelAfter(remaining < policy.AttemptTimeout ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1)) : policy.AttemptTimeout);
                try
                {
                    await attempt(timeout.Token).ConfigureAwait(false);
                    return n;
                }
                catch (AlertDeliveryException ex)
                {
                    failure = ex;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = Transient(string.Format(CultureInfo.InvariantCulture, "{0} did not answer within {1:0.#} s.", target, Math.Min(policy.AttemptTimeout.TotalSeconds, Math.Max(0, remaining.TotalSeconds))), null, ex);
                }
            }

            var wait = failure.RetryAfter ?? delay;
            var left = policy.Budget - clock.Elapsed;
            if (!failure.Transient || n >= policy.MaxAttempts || wait >= left)
            {
                var why = !failure.Transient ? string.Empty
                    : n >= policy.MaxAttempts ? string.Format(CultureInfo.InvariantCulture, " (gave up after {0} attempts)", n)
                    : string.Format(CultureInfo.InvariantCulture, " (gave up: the next attempt, in {0:0.#} s, would pass the {1:0.#} s retry budget)", wait.TotalSeconds, policy.Budget.TotalSeconds);
                throw new AlertDeliveryException(failure.Message + why, n, failure.Transient, failure.InnerException ?? failure);
            }

            log.Debug(string.Format(CultureInfo.InvariantCulture, "{0}: attempt {1} failed ({2}); trying again in {3:0.###} s.", target, n, failure.Message, wait.TotalSeconds));
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(delay.Ticks * 2);
        }
    }
}
