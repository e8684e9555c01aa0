using System;

namespace DanePS.Engine.Alerts;

/// <summary>
/// How hard a channel tries: a few attempts within a bounded time. A refusal that will not pass (HTTP 400/401/403/404,
/// SMTP 5xx, a failed login) is not retried; a timeout, HTTP 429 or 5xx, or SMTP 4xx is, after the wait the server
/// asks for (Telegram's retry_after, Retry-After) when it fits within the budget. Durations are milliseconds, as
/// everywhere in DanePS's output.
/// </summary>
public sealed class AlertRetryPolicy
{
    /// <summary>Attempts per message and channel, the first included.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The longest all attempts and waits together may take, in milliseconds.</summary>
    public int BudgetMs { get; set; } = 60_000;

    /// <summary>The wait before the second attempt when the server names none, in milliseconds; doubled after each.</summary>
    public int FirstDelayMs { get; set; } = 1_000;

    /// <summary>The limit on one attempt (connect, send, answer), in milliseconds.</summary>
    public int AttemptTimeoutMs { get; set; } = 30_000;

    internal TimeSpan Budget => TimeSpan.FromMilliseconds(BudgetMs);

    internal TimeSpan FirstDelay => TimeSpan.FromMilliseconds(FirstDelayMs);

    internal TimeSpan AttemptTimeout => TimeSpan.FromMilliseconds(AttemptTimeoutMs);
}
