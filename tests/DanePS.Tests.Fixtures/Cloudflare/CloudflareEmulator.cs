using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Cloudflare;

/// <summary>
/// A loopback stand-in for the Cloudflare API v4 DNS endpoints, written from Cloudflare's documented request and
/// response shapes (developers.cloudflare.com/api/resources/dns/subresources/records): the
/// <c>{"success","errors":[{"code","message"}],"messages","result","result_info"}</c> envelope, zones listed by
/// <c>?name=</c>, records listed by <c>type</c>/<c>name</c>/<c>page</c>/<c>per_page</c>, TLSA created from
/// <c>data</c> {usage, selector, matching_type, certificate} with <c>content</c> "u s m hex" derived, error 81058 for
/// an identical record, 81044 for a record that does not exist, 7003 for an unknown zone id, 10000 for a bad token
/// (HTTP 403) and 971 with HTTP 429 and Retry-After when rate limited.
/// </summary>
public sealed class CloudflareEmulator : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _token;
    private readonly Dictionary<string, string> _zones = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<JsonObject> _records = new();
    private readonly object _gate = new();
    private readonly Task _loop;
    private int _nextId;
    private int _rateLimited;

    public CloudflareEmulator(string token, params string[] zones)
    {
        _token = token;
        foreach (var zone in zones)
        {
            _zones[zone] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(zone)))[..32].ToLowerInvariant();
        }

        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/client/v4/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; }

    /// <summary>Every request as "METHOD /path?query", and whether it carried the right bearer token.</summary>
    public ConcurrentQueue<(string Request, bool Authorized, string? AuthorizationHeader)> Requests { get; } = new();

    /// <summary>Records per page when the client does not say (Cloudflare's default is 100).</summary>
    public int MaxPerPage { get; set; } = 5000;

    /// <summary>Seconds sent in Retry-After with a 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>When set, the next create adds the record and still answers 81057, as when another writer won a race.</summary>
    public bool RaceNextCreate { get; set; }

    public string ZoneId(string zone) => _zones[zone];

    /// <summary>Answers the next <paramref name="count"/> requests with HTTP 429.</summary>
    public void RateLimitNext(int count) => Interlocked.Exchange(ref _rateLimited, count);

    /// <summary>The TLSA records as "name content", lower-case hex, for assertions.</summary>
    public IReadOnlyList<string> Tlsa()
    {
        lock (_gate)
        {
            return _records.Select(r => $"{r["name"]} {r["content"]}").OrderBy(s => s, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Adds a record directly, as the dashboard would.</summary>
    public string Seed(string zone, string name, string content, int ttl = 1)
    {
        var parts = content.Split(' ', 4);
        var data = new JsonObject
        {
            ["usage"] = int.Parse(parts[0], CultureInfo.InvariantCulture),
            ["selector"] = int.Parse(parts[1], CultureInfo.InvariantCulture),
            ["matching_type"] = int.Parse(parts[2], CultureInfo.InvariantCulture),
            ["certificate"] = parts[3].Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
        };
        lock (_gate)
        {
            return Create(_zones[zone], name, ttl, data)["id"]!.GetValue<string>();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var header = request.Headers["Authorization"];
        var authorized = header == "Bearer " + _token;
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue(($"{request.HttpMethod} {path}{request.Url.Query}", authorized, header));
        int status;
        JsonObject body;
        if (Interlocked.Decrement(ref _rateLimited) >= 0)
        {
            context.Response.AddHeader("Retry-After", RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
            (status, body) = (429, Failure(971, "Please wait and consider throttling your request speed"));
        }
        else if (!authorized)
        {
            (status, body) = (403, Failure(10000, "Authentication error"));
        }
        else
        {
            string requestBody;
            using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
            {
                requestBody = reader.ReadToEnd();
            }

            lock (_gate)
            {
                (status, body) = Route(request.HttpMethod, path, request.QueryString, requestBody);
            }
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    private (int, JsonObject) Route(string method, string path, System.Collections.Specialized.NameValueCollection query, string requestBody)
    {
        var segments = path.Trim('/').Split('/');

        // client/v4/zones
        if (segments.Length == 3 && segments[2] == "zones" && method == "GET")
        {
            var matches = _zones.Where(z => query["name"] is null || string.Equals(z.Key, query["name"], StringComparison.OrdinalIgnoreCase))
                .Select(z => (JsonNode)new JsonObject { ["id"] = z.Value, ["name"] = z.Key, ["status"] = "active" }).ToArray();
            return (200, Success(new JsonArray(matches), Info(1, matches.Length, matches.Length, matches.Length)));
        }

        if (segments.Length < 5 || segments[2] != "zones" || segments[4] != "dns_records")
        {
            return (404, Failure(7000, "No route for that URI"));
        }

        var zoneId = segments[3];
        if (!_zones.ContainsValue(zoneId))
        {
            return (404, Failure(7003, "Could not route to /zones/" + zoneId + "/dns_records, perhaps your object identifier is invalid?"));
        }

        switch (method)
        {
            case "GET" when segments.Length == 5:
            {
                var selected = _records.Where(r => r["zone_id"]!.GetValue<string>() == zoneId
                    && (query["type"] is null || r["type"]!.GetValue<string>() == query["type"])
                    && (query["name"] is null || string.Equals(r["name"]!.GetValue<string>(), query["name"], StringComparison.OrdinalIgnoreCase))).ToList();
                var perPage = Math.Min(int.Parse(query["per_page"] ?? "100", CultureInfo.InvariantCulture), MaxPerPage);
                var page = int.Parse(query["page"] ?? "1", CultureInfo.InvariantCulture);
                var slice = selected.Skip((page - 1) * perPage).Take(perPage).Select(r => (JsonNode)r.DeepClone()).ToArray();
                return (200, Success(new JsonArray(slice), Info(page, perPage, slice.Length, selected.Count)));
            }

            case "POST" when segments.Length == 5:
            {
                var input = JsonNode.Parse(requestBody)!.AsObject();
                var data = input["data"]?.AsObject();
                if (input["type"]?.GetValue<string>() != "TLSA" || data is null || input["name"] is null)
                {
                    return (400, Failure(9000, "DNS Validation Error"));
                }

                var name = input["name"]!.GetValue<string>();
                var content = Content(data);
                var existing = _records.Any(r => r["zone_id"]!.GetValue<string>() == zoneId && string.Equals(r["name"]!.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase) && r["content"]!.GetValue<string>() == content);
                if (RaceNextCreate)
                {
                    RaceNextCreate = false;
                    Create(zoneId, name, input["ttl"]?.GetValue<int>() ?? 1, data);
                    return (400, Failure(81057, "Record already exists."));
                }

                if (existing)
                {
                    return (400, Failure(81058, "An identical record already exists."));
                }

                return (200, Success(Create(zoneId, name, input["ttl"]?.GetValue<int>() ?? 1, data).DeepClone(), null));
            }

            case "DELETE" when segments.Length == 6:
            {
                var record = _records.FirstOrDefault(r => r["id"]!.GetValue<string>() == segments[5] && r["zone_id"]!.GetValue<string>() == zoneId);
                if (record is null)
                {
                    return (404, Failure(81044, "Record does not exist."));
                }

                _records.Remove(record);
                return (200, Success(new JsonObject { ["id"] = segments[5] }, null));
            }

            default:
                return (405, Failure(10405, "Method not allowed for this endpoint"));
        }
    }

    private JsonObject Create(string zoneId, string name, int ttl, JsonObject data)
    {
        var zoneName = _zones.First(z => z.Value == zoneId).Key;
        var record = new JsonObject
        {
            ["id"] = (++_nextId).ToString("x32", CultureInfo.InvariantCulture),
            ["zone_id"] = zoneId,
            ["zone_name"] = zoneName,
            ["name"] = name,
            ["type"] = "TLSA",
            ["content"] = Content(data),
            ["data"] = data.DeepClone(),
            ["proxiable"] = false,
            ["proxied"] = false,
            ["ttl"] = ttl,
            ["locked"] = false,
            ["meta"] = new JsonObject { ["auto_added"] = false, ["source"] = "primary" },
            ["comment"] = null,
            ["tags"] = new JsonArray(),
            ["created_on"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["modified_on"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        };
        _records.Add(record);
        return record;
    }

    private static string Content(JsonObject data) =>
        string.Create(CultureInfo.InvariantCulture, $"{data["usage"]} {data["selector"]} {data["matching_type"]} {data["certificate"]!.GetValue<string>().ToLowerInvariant()}");

    private static JsonObject Success(JsonNode? result, JsonObject? info)
    {
        var body = new JsonObject { ["success"] = true, ["errors"] = new JsonArray(), ["messages"] = new JsonArray(), ["result"] = result };
        if (info is not null)
        {
            body["result_info"] = info;
        }

        return body;
    }

    private static JsonObject Failure(int code, string message) => new()
    {
        ["success"] = false,
        ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
        ["messages"] = new JsonArray(),
        ["result"] = null,
    };

    private static JsonObject Info(int page, int perPage, int count, int total) => new()
    {
        ["page"] = page,
        ["per_page"] = perPage,
        ["count"] = count,
        ["total_count"] = total,
        ["total_pages"] = perPage == 0 ? 0 : (int)Math.Ceiling(total / (double)perPage),
    };
}
