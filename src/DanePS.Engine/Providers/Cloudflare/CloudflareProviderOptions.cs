using System;
using System.Security;

namespace DanePS.Engine.Providers.Cloudflare;

/// <summary>How to reach a Cloudflare zone through API v4.</summary>
public sealed class CloudflareProviderOptions
{
    /// <summary>An API token with Zone.DNS edit permission (Zone.Zone read too, to find a zone by name). Sent as a bearer token, never logged.</summary>
    public SecureString? ApiToken { get; set; }

    /// <summary>The zone's id (32 hex digits); when set, no lookup by name is made.</summary>
    public string? ZoneId { get; set; }

    /// <summary>The zone's name; when neither this nor <see cref="ZoneId"/> is set, the zone is found from each owner name.</summary>
    public string? ZoneName { get; set; }

    /// <summary>The API's base address; another only for a proxy or a test emulator.</summary>
    public Uri BaseAddress { get; set; } = new("https://api.cloudflare.com/client/v4/");

    /// <summary>Deadline of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a request is sent again after HTTP 429 (rate limited) or a 5xx answer.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first back-off when a 429 carries no Retry-After; doubled on each retry.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest single back-off, whatever Retry-After says.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Records per page when listing (Cloudflare allows up to 5000; 100 is its documented default maximum for many accounts).</summary>
    public int PageSize { get; set; } = 100;
}
