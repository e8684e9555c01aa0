using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>POSTs a JSON body under the retry policy and judges the answer; shared by every HTTP channel.</summary>
internal static class HttpAlertPost
{
    /// <summary>The most of an answer's body kept for an error message.</summary>
    private const int MaxBodyInMessage = 400;

    /// <summary>The most of an answer read at all: an endpoint cannot make DanePS read without end.</summary>
    private const int MaxBodyRead = 64 * 1024;

    // One client for the process: timeouts are per request (the policy), so its own is off.
    private static readonly HttpClient Client = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>Posts <paramref name="json"/> to <paramref name="uri"/>; returns the attempts made.</summary>
    public static Task<int> PostJsonAsync(Uri uri, string json, string? bearerToken, string target, AlertRetryPolicy policy, IReporter log, CancellationToken cancellationToken) =>
        AlertRetry.RunAsync(policy, log, target, async token =>
        {
            log.Debug(string.Format(CultureInfo.InvariantCulture, "POST {0} ({1} bytes of JSON): {2}", target, Encoding.UTF8.GetByteCount(json), json));
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            if (bearerToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
            }

            HttpResponseMessage response;
            try
            {
                response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw AlertRetry.Transient(string.Format(CultureInfo.InvariantCulture, "{0} could not be reached: {1}", target, Innermost(ex).Message), null, ex);
            }

            using (response)
            {
                var body = await ReadLimitedAsync(response, token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                log.Debug(string.Format(CultureInfo.InvariantCulture, "{0} answered HTTP {1}: {2}", target, status, Shorten(body)));
                if (status is >= 200 and < 300)
                {
                    return;
                }

                var message = string.Format(CultureInfo.InvariantCulture, "{0} answered HTTP {1} {2}: {3}", target, status, response.ReasonPhrase, Shorten(body));
                if (status == 429)
                {
                    throw AlertRetry.Transient(message, RetryAfter(response, body));
                }

                if (status is 408 or >= 500)
                {
                    throw AlertRetry.Transient(message, RetryAfter(response, body));
                }

                throw AlertRetry.Permanent(message);
            }
        }, cancellationToken);

    /// <summary>Writes a JSON document with a writer callback.</summary>
    public static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, string body)
    {
        // Telegram: {"ok":false,"error_code":429,"parameters":{"retry_after":N}}; others: the Retry-After header.
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("parameters", out var parameters)
                && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("retry_after", out var retry)
                && retry.TryGetDouble(out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }
        catch (JsonException)
        {
            // Not JSON: the header decides.
        }

        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (response.Headers.RetryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var buffer = new byte[MaxBodyRead];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer, total, buffer.Length - total, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string Shorten(string body)
    {
        var oneLine = body.Replace('\r', ' ').Replace('\n', ' ').Trim();
        return oneLine.Length <= MaxBodyInMessage ? oneLine : oneLine.Substring(0, MaxBodyInMessage) + "…";
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    /// <summary>An address given by the user: absolute http or https.</summary>
    public static Uri CheckAddress(Uri address, string what)
    {
        if (address is null || !address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"{what} must be an absolute http:// or https:// address.", nameof(address));
        }

        return address;
    }

    /// <summary>"https://hooks.slack.com/***": scheme, host and port of a secret URL, nothing of its path.</summary>
    public static string Describe(Uri uri) => uri.GetLeftPart(UriPartial.Authority) + "/" + SecretRedactor.Mask;
}
