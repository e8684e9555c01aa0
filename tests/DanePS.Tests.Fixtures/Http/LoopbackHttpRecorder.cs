using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Http;

/// <summary>One request as it arrived: method, path (with any token in it), headers, body.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>What the stand-in answers; a delay makes it slow.</summary>
public sealed record HttpReply(int Status, string Body = "{\"ok\":true}", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default);

/// <summary>
/// An HTTP/1.1 server on a loopback address that stands in for Telegram, Slack, Teams or a webhook: it records every
/// request exactly as it arrived and answers as <see cref="Responder"/> says (200 {"ok":true} by default). Small on
/// purpose: one request per connection, Content-Length bodies, limits on everything it reads. With
/// <see cref="SaveDirectory"/> set, each request is also written there as JSON, for readers in other processes.
/// </summary>
public sealed class LoopbackHttpRecorder : IAsyncDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly Task _loop;
    private int _saved;

    private LoopbackHttpRecorder(TcpListener listener)
    {
        _listener = listener;
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        BaseAddress = new Uri($"http://{endpoint.Address}:{endpoint.Port}/");
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseAddress { get; }

    public Func<RecordedRequest, HttpReply> Responder { get; set; } = _ => new HttpReply(200);

    public string? SaveDirectory { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public static LoopbackHttpRecorder Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new LoopbackHttpRecorder(listener);
    }

    public Uri Url(string path) => new(BaseAddress, path);

    public void Clear()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var head = new MemoryStream();
                var one = new byte[1];
                while (!EndsWithBlankLine(head))
                {
                    if (await stream.ReadAsync(one, timeout.Token) == 0 || head.Length > MaxHeaderBytes)
                    {
                        return;
                    }

                    head.WriteByte(one[0]);
                }

                var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                var requestLine = lines[0].Split(' ');
                var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : string.Empty, StringComparer.OrdinalIgnoreCase);
                var length = headers.TryGetValue("Content-Length", out var l) ? Math.Min(int.Parse(l, CultureInfo.InvariantCulture), MaxBodyBytes) : 0;
                var body = new byte[length];
                var read = 0;
                while (read < length)
                {
                    var n = await stream.ReadAsync(body.AsMemory(read), timeout.Token);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                var request = new RecordedRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString(body, 0, read));
                lock (_requests)
                {
                    _requests.Add(request);
                }

                if (SaveDirectory is { } directory)
                {
                    var n = Interlocked.Increment(ref _saved);
                    var path = Path.Combine(directory, $"request-{n:D4}.json");
                    File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(request));
                    File.Move(path + ".tmp", path);
                }

                var reply = Responder(request);
                if (reply.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(reply.Delay, timeout.Token);
                }

                var payload = Encoding.UTF8.GetBytes(reply.Body);
                var response = new StringBuilder();
                response.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {reply.Status} {ReasonPhrase(reply.Status)}\r\n");
                response.Append("Content-Type: application/json\r\n");
                response.Append(CultureInfo.InvariantCulture, $"Content-Length: {payload.Length}\r\nConnection: close\r\n");
                foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
                {
                    response.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                }

                response.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()), timeout.Token);
                await stream.WriteAsync(payload, timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or FormatException)
            {
            }
        }
    }

    private static bool EndsWithBlankLine(MemoryStream head)
    {
        if (head.Length < 4)
        {
            return false;
        }

        var b = head.GetBuffer();
        var n = (int)head.Length;
        return b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
