using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Providers.Cloudflare;

/// <summary>
/// TLSA records in a Cloudflare zone through API v4 (<c>/zones/{id}/dns_records</c>), records given as <c>data</c>
/// {usage, selector, matching_type, certificate}. Lists page by page; a create that Cloudflare answers with "already
/// exists" (81057, 81058) counts as done; HTTP 429 backs off (Retry-After, else doubling) and tries again.
/// </summary>
public sealed class CloudflareTlsaProvider : TlsaProvider
{
    /// <summary>Cloudflare: "Record already exists." (another record with the same name and content).</summary>
    public const int RecordAlreadyExists = 81057;

    /// <summary>Cloudflare: "An identical record already exists."</summary>
    public const int IdenticalRecordAlreadyExists = 81058;

    /// <summary>Cloudflare: "Record does not exist."</summary>
    public const int RecordDoesNotExist = 81044;

    private const int MaxResponseBytes = 4 * 1024 * 1024;
    private const int MaxPages = 1000;

    private readonly CloudflareProviderOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ConcurrentDictionary<string, string> _zoneIds = new(StringComparer.Ordinal);

    /// <summary>Creates the provider; it keeps one HttpClient for its lifetime.</summary>
    public CloudflareTlsaProvider(CloudflareProviderOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates the provider with a given HttpClient (tests, proxies); the client is not disposed with the provider.</summary>
    public CloudflareTlsaProvider(CloudflareProviderOptions options, HttpClient? httpClient)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.ApiToken is null || options.ApiToken.Length == 0)
        {
            throw new ArgumentException("A Cloudflare API token is required.", nameof(options));
        }

        if (options.ZoneId is { } id && !string.IsNullOrWhiteSpace(id) && id.Any(c => !Uri.IsHexDigit(c)))
        {
            throw new ArgumentException($"'{id}' is not a Cloudflare zone id (32 hex digits).", nameof(options));
        }

        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    public override string Description =>
        !string.IsNullOrWhiteSpace(_options.ZoneName) ? $"Cloudflare zone {_options.ZoneName!.TrimEnd('.')}"
        : !string.IsNullOrWhiteSpace(_options.ZoneId) ? $"Cloudflare zone id {_options.ZoneId}"
        : "Cloudflare";

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<PublishedTlsaRecord>> ListCoreAsync(string ownerName, CancellationToken cancellationToken)
    {
        var zoneId = await ZoneIdForAsync(ownerName, cancellationToken).ConfigureAwait(false);
        var name = ownerName.TrimEnd('.');
        var records = new List<PublishedTlsaRecord>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var path = string.Format(CultureInfo.InvariantCulture, "zones/{0}/dns_records?type=TLSA&name={1}&page={2}&per_page={3}", zoneId, Uri.EscapeDataString(name), page, _options.PageSize);
            var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, $"listing TLSA records at {name}");
            foreach (var item in response.Body?["result"]?.Items ?? Array.Empty<JsonValue>())
            {
                if (!string.Equals(item["name"]?.AsString?.TrimEnd('.'), name, StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(item["type"]?.AsString, "TLSA", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var record = ReadRecord(item);
                if (record is not null)
                {
                    records.Add(new PublishedTlsaRecord(ownerName, record, item["ttl"]?.AsInt, item["id"]?.AsString));
                }
            }

            var totalPages = response.Body?["result_info"]?["total_pages"]?.AsInt ?? 1;
            if (page >= totalPages)
            {
                break;
            }
        }

        return records;
    }

    /// <inheritdoc />
    protected override async Task<bool> AddCoreAsync(string ownerName, TlsaRecord record, int ttl, CancellationToken cancellationToken)
    {
        var zoneId = await ZoneIdForAsync(ownerName, cancellationToken).ConfigureAwait(false);
        var body = string.Format(
            CultureInfo.InvariantCulture,
            "{{\"type\":\"TLSA\",\"name\":{0},\"ttl\":{1},\"data\":{{\"usage\":{2},\"selector\":{3},\"matching_type\":{4},\"certificate\":{5}}}}}",
            JsonValue.Quote(ownerName.TrimEnd('.')),
            ttl <= 0 ? 1 : ttl,
            (byte)record.Usage,
            (byte)record.Selector,
            (byte)record.MatchingType,
            JsonValue.Quote(record.AssociationData.ToLowerInvariant()));
        var response = await SendAsync(HttpMethod.Post, $"zones/{zoneId}/dns_records", body, cancellationToken).ConfigureAwait(false);
        if (!response.Success && response.ErrorCodes.Any(c => c is RecordAlreadyExists or IdenticalRecordAlreadyExists))
        {
            return false;
        }

        EnsureSuccess(response, $"adding TLSA {record.ToShortString()} at {ownerName.TrimEnd('.')}");
        return true;
    }

    /// <inheritdoc />
    protected override async Task<bool> RemoveCoreAsync(PublishedTlsaRecord record, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        var zoneId = await ZoneIdForAsync(record.OwnerName, cancellationToken).ConfigureAwait(false);
        var response = await SendAsync(HttpMethod.Delete, $"zones/{zoneId}/dns_records/{Uri.EscapeDataString(record.ProviderId ?? string.Empty)}", null, cancellationToken).ConfigureAwait(false);
        if (!response.Success && (response.ErrorCodes.Contains(RecordDoesNotExist) || response.Status == HttpStatusCode.NotFound))
        {
            return false;
        }

        EnsureSuccess(response, $"removing TLSA {record.Record.ToShortString()} at {record.OwnerName.TrimEnd('.')}");
        return true;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsHttp)
        {
            _http.Dispose();
        }

        base.Dispose(disposing);
    }

    private static TlsaRecord? ReadRecord(JsonValue item)
    {
        var data = item["data"];
        if (data?["usage"]?.AsInt is int usage && data["selector"]?.AsInt is int selector && data["matching_type"]?.AsInt is int matching
            && data["certificate"]?.AsString is { } certificate && Hex.TryDecode(certificate, out var bytes, out _) && bytes.Length > 0
            && usage is >= 0 and <= 255 && selector is >= 0 and <= 255 && matching is >= 0 and <= 255)
        {
            return new TlsaRecord((byte)usage, (byte)selector, (byte)matching, bytes);
        }

        return TlsaRecord.TryParse(item["content"]?.AsString, out var parsed, out _) ? parsed : null;
    }

    private async Task<string> ZoneIdForAsync(string ownerName, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.ZoneId))
        {
            return _options.ZoneId!.Trim();
        }

        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(_options.ZoneName))
        {
            candidates.Add(_options.ZoneName!.Trim().TrimEnd('.'));
        }
        else
        {
            // The zone is the longest suffix of the owner name that Cloudflare knows.
            var labels = ownerName.TrimEnd('.').Split('.');
            for (var i = 0; i < labels.Length - 1; i++)
            {
                candidates.Add(string.Join(".", labels.Skip(i)));
            }
        }

        foreach (var candidate in candidates)
        {
            if (_zoneIds.TryGetValue(candidate, out var known))
            {
                return known;
            }

            var response = await SendAsync(HttpMethod.Get, $"zones?name={Uri.EscapeDataString(candidate)}", null, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, $"looking up zone {candidate}");
            var zone = response.Body?["result"]?.Items.FirstOrDefault(z => string.Equals(z["name"]?.AsString, candidate, StringComparison.OrdinalIgnoreCase));
            if (zone?["id"]?.AsString is { Length: > 0 } id)
            {
                _zoneIds[candidate] = id;
                return id;
            }
        }

        throw new TlsaProviderException(TlsaProviderFailure.ZoneNotFound,
            $"Cloudflare has no zone {string.Join(" or ", candidates)} for this token, so {ownerName.TrimEnd('.')} cannot be changed there.");
    }

    private static void EnsureSuccess(CloudflareResponse response, string doing)
    {
        if (response.Success)
        {
            return;
        }

        var failure = response.Status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => TlsaProviderFailure.AuthenticationFailed,
            (HttpStatusCode)429 => TlsaProviderFailure.RateLimited,
            HttpStatusCode.NotFound => TlsaProviderFailure.ZoneNotFound,
            _ when response.Body is null => TlsaProviderFailure.MalformedResponse,
            _ => TlsaProviderFailure.Refused,
        };
        var errors = response.Errors.Count == 0 ? "no error details" : string.Join("; ", response.Errors);
        throw new TlsaProviderException(failure, $"Cloudflare refused {doing}: {errors} (HTTP {(int)response.Status}).")
        {
            ProviderCode = response.ErrorCodes.Cast<int?>().FirstOrDefault(),
        };
    }

    private async Task<CloudflareResponse> SendAsync(HttpMethod method, string relativePath, string? jsonBody, CancellationToken cancellationToken)
    {
        var uri = new Uri(new Uri(_options.BaseAddress.ToString().TrimEnd('/') + "/"), relativePath);
        var backoff = _options.InitialBackoff;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadToken(_options.ApiToken!));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (jsonBody is not null)
            {
                request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
            }

            Narrate($"Cloudflare: {method} {uri.AbsolutePath}{uri.Query}");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TlsaProviderException(TlsaProviderFailure.Unreachable, $"Cloudflare did not answer {method} {uri.AbsolutePath} within {_options.RequestTimeout.TotalSeconds:0} s.");
            }
            catch (HttpRequestException ex)
            {
                throw new TlsaProviderException(TlsaProviderFailure.Unreachable, $"Cloudflare could not be reached at {uri.GetLeftPart(UriPartial.Authority)}: {ex.Message}", ex);
            }

            using (response)
            {
                var status = response.StatusCode;
                var retryable = (int)status == 429 || (int)status >= 500;
                if (retryable && attempt < _options.MaxRetries)
                {
                    var wait = RetryAfter(response) ?? backoff;
                    if (wait > _options.MaxBackoff)
                    {
                        wait = _options.MaxBackoff;
                    }

                    Narrate($"Cloudflare: HTTP {(int)status}; waiting {wait.TotalSeconds:0.#} s before trying again ({attempt + 1} of {_options.MaxRetries}).");
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
                    continue;
                }

                var text = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
                JsonValue? body = null;
                try
                {
                    body = text.Length == 0 ? null : JsonValue.Parse(text);
                }
                catch (FormatException)
                {
                    // A proxy's HTML error page: reported with the status below.
                }

                return new CloudflareResponse(status, body);
            }
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is null)
        {
            return string.Empty;
        }

        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new TlsaProviderException(TlsaProviderFailure.MalformedResponse, $"Cloudflare's answer is longer than {MaxResponseBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ReadToken(SecureString token)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(token);
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }

    private sealed class CloudflareResponse
    {
        public CloudflareResponse(HttpStatusCode status, JsonValue? body)
        {
            Status = status;
            Body = body;
            var errors = body?["errors"]?.Items ?? Array.Empty<JsonValue>();
            Errors = errors.Select(e => string.Format(CultureInfo.InvariantCulture, "{0} {1}", e["code"]?.AsInt, e["message"]?.AsString).Trim()).ToList();
            ErrorCodes = errors.Select(e => e["code"]?.AsInt).OfType<int>().ToList();
            Success = (int)status is >= 200 and < 300 && body?["success"]?.AsBool != false;
        }

        public HttpStatusCode Status { get; }

        public JsonValue? Body { get; }

        public bool Success { get; }

        public List<string> Errors { get; }

        public List<int> ErrorCodes { get; }
    }
}
