using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>One nginx <c>server</c> block: the endpoints it listens on with TLS and the chain(s) it presents there.</summary>
public sealed class NginxServerBlock
{
    public NginxServerBlock(IEnumerable<IPEndPoint> listeners, params TlsIdentity[] identities)
    {
        Listeners = listeners.ToList();
        Identities = identities;
        if (Listeners.Count == 0 || Identities.Count == 0)
        {
            throw new ArgumentException("A server block needs at least one listener and one TLS identity.");
        }

        Listeners.ToList().ForEach(l => LoopbackEndpoints.EnsureLoopback(l.Address));
    }

    public IReadOnlyList<IPEndPoint> Listeners { get; }

    /// <summary>One chain, or an RSA and an ECDSA chain (nginx picks by the client's offer).</summary>
    public IReadOnlyList<TlsIdentity> Identities { get; }

    /// <summary>server_name; only matters when blocks share a listener (then SNI picks the block).</summary>
    public string? ServerName { get; init; }
}

/// <summary>
/// One nginx process serving HTTPS (implicit TLS) on many loopback listeners: hundreds of TLS endpoints start in
/// milliseconds. Every request gets "200 DanePS nginx fixture".
/// </summary>
public sealed class NginxTestServer : DaemonTestServer
{
    private NginxTestServer(string directory, DaemonProcess daemon, TimeSpan startDuration, IReadOnlyList<NginxServerBlock> serverBlocks)
        : base(directory, daemon, startDuration, TimeSpan.FromSeconds(5), Path.Combine(directory, "error.log"))
    {
        ServerBlocks = serverBlocks;
        Endpoints = serverBlocks.SelectMany(b => b.Listeners).Distinct().ToList();
    }

    public IReadOnlyList<NginxServerBlock> ServerBlocks { get; }

    /// <summary>Every endpoint nginx listens on, in configuration order.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    /// <summary>
    /// <paramref name="listenerCount"/> fresh loopback addresses on <paramref name="port"/> (a free port for an address
    /// where it is taken), plus [::1] on a free port if <paramref name="includeIPv6"/>, all presenting <paramref name="identity"/>.
    /// </summary>
    public static Task<NginxTestServer> StartAsync(TlsIdentity identity, int listenerCount, int port = 443, bool includeIPv6 = false, CancellationToken cancellationToken = default)
    {
        var listeners = LoopbackEndpoints.NextAddresses(listenerCount).Select(a => LoopbackEndpoints.EndpointOn(a, port)).ToList();
        if (includeIPv6)
        {
            listeners.Add(LoopbackEndpoints.NextIPv6Endpoint());
        }

        return StartAsync(new[] { new NginxServerBlock(listeners, identity) }, cancellationToken: cancellationToken);
    }

    public static Task<NginxTestServer> StartAsync(IEnumerable<NginxServerBlock> serverBlocks, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        RequiredProgram.Nginx.Locate();
        var blocks = serverBlocks.ToList();
        if (blocks.Count == 0)
        {
            throw new ArgumentException("Give nginx at least one server block.", nameof(serverBlocks));
        }

        var timeout = startTimeout ?? TimeSpan.FromSeconds(20);
        return StartInFreshDirectoryAsync("nginx", PidFile, async (directory, clock) =>
        {
            var configPath = Path.Combine(directory, "nginx.conf");
            var errorLog = Path.Combine(directory, "error.log");
            Directory.CreateDirectory(Path.Combine(directory, "tmp"));
            File.WriteAllText(configPath, Config(directory, blocks));

            // -e: even the messages before the config is read go to our folder, not /var/log/nginx.
            await LaunchAsync("nginx", RequiredProgram.Nginx, new[] { "-p", directory + "/", "-e", errorLog, "-c", configPath }, Path.Combine(directory, "nginx-start.log"), errorLog, timeout, cancellationToken);

            var daemon = await DaemonProcess.WaitForPidFileAsync("nginx", PidFile(directory), directory, timeout, cancellationToken);
            var endpoints = blocks.SelectMany(b => b.Listeners).Distinct().ToList();
            await WaitUntilListeningAsync("nginx", endpoints, timeout, () => FixtureDirectory.Tail(errorLog), cancellationToken);
            return new NginxTestServer(directory, daemon, clock.Elapsed, blocks);
        });
    }

    private static string PidFile(string directory) => Path.Combine(directory, "nginx.pid");

    private static string Config(string directory, List<NginxServerBlock> blocks)
    {
        // Every listening socket takes a connection slot in the worker.
        var listeners = blocks.Sum(b => b.Listeners.Count);
        var connections = Math.Max(1024, (listeners * 2) + 1024);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            # Written by DanePS.Tests NginxTestServer.
            {{(Environment.IsPrivilegedProcess ? "user nobody nogroup;" : string.Empty)}}
            worker_processes 1;
            worker_rlimit_nofile {{connections * 2}};
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections {{connections}}; }
            http {
              access_log off;
              default_type text/plain;
              client_body_temp_path {{directory}}/tmp/body;
              proxy_temp_path {{directory}}/tmp/proxy;
              fastcgi_temp_path {{directory}}/tmp/fastcgi;
              uwsgi_temp_path {{directory}}/tmp/uwsgi;
              scgi_temp_path {{directory}}/tmp/scgi;

            """);
        for (var b = 0; b < blocks.Count; b++)
        {
            text.Append("  server {\n");
            foreach (var listener in blocks[b].Listeners)
            {
                text.Append(CultureInfo.InvariantCulture, $"    listen {LoopbackEndpoints.Format(listener)} ssl;\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"    server_name {blocks[b].ServerName ?? "\"\""};\n");
            for (var i = 0; i < blocks[b].Identities.Count; i++)
            {
                var (chainPath, keyPath) = blocks[b].Identities[i].WriteTo(directory, $"block{b}-tls{i}");
                text.Append(CultureInfo.InvariantCulture, $"    ssl_certificate {chainPath};\n    ssl_certificate_key {keyPath};\n");
            }

            text.Append("    location / { return 200 \"DanePS nginx fixture\\n\"; }\n  }\n");
        }

        text.Append("}\n");
        return text.ToString();
    }
}
