using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>How to run a <see cref="PostfixTestServer"/>.</summary>
public sealed class PostfixTestServerOptions
{
    /// <summary>Where smtpd listens; empty means one fresh loopback address on port 25 (a free port if 25 is taken there).</summary>
    public IList<IPEndPoint> Endpoints { get; } = new List<IPEndPoint>();

    /// <summary>
    /// The chains offered for STARTTLS (<c>smtpd_tls_chain_files</c>); one, or one RSA and one ECDSA so that the
    /// certificate a client sees depends on the signature algorithms it offers.
    /// </summary>
    public IList<TlsIdentity> Identities { get; } = new List<TlsIdentity>();

    /// <summary>myhostname: the name in the 220 greeting and the EHLO reply.</summary>
    public string HostName { get; set; } = "mx.example.test";

    /// <summary>Extra main.cf settings; they replace the fixture's own of the same name (e.g. smtpd_tls_security_level).</summary>
    public IDictionary<string, string> MainCf { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>"-o name=value" overrides on every smtpd listener in master.cf (e.g. a submission service's rules).</summary>
    public IDictionary<string, string> SmtpdOverrides { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Mail for <see cref="MailboxDomain"/> is delivered by Postfix's virtual agent into a Maildir here
    /// (<c>inbox/new/</c>), instead of discarded; null keeps the discard-everything default.
    /// </summary>
    public string? MailboxDirectory { get; set; }

    public string MailboxDomain { get; set; } = "alerts.test";
}

/// <summary>
/// A private Postfix instance (own config, queue and data folders) serving SMTP with STARTTLS on loopback with
/// the given chains. Mail it accepts from loopback clients goes to the discard transport: nothing is delivered
/// or relayed, and no other transport (smtp, local) exists in its master.cf.
/// </summary>
public sealed class PostfixTestServer : DaemonTestServer
{
    private PostfixTestServer(string directory, DaemonProcess daemon, TimeSpan startDuration, IReadOnlyList<IPEndPoint> endpoints, IReadOnlyList<TlsIdentity> identities, string hostName)
        : base(directory, daemon, startDuration, TimeSpan.FromSeconds(5), Path.Combine(directory, "maillog"))
    {
        Endpoints = endpoints;
        Identities = identities;
        HostName = hostName;
    }

    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    /// <summary>The first of <see cref="Endpoints"/>.</summary>
    public IPEndPoint Endpoint => Endpoints[0];

    public IReadOnlyList<TlsIdentity> Identities { get; }

    public string HostName { get; }

    /// <summary>One listener on a fresh loopback address, presenting <paramref name="identities"/> (one, or RSA and ECDSA).</summary>
    public static Task<PostfixTestServer> StartAsync(params TlsIdentity[] identities)
    {
        var options = new PostfixTestServerOptions();
        foreach (var identity in identities)
        {
            options.Identities.Add(identity);
        }

        return StartAsync(options);
    }

    public static Task<PostfixTestServer> StartAsync(PostfixTestServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var postfix = RequiredProgram.Postfix.Locate();
        RequiredProgram.PostfixMaster.Locate();
        RequiredProgram.Script.Locate();
        if (options.Identities.Count == 0)
        {
            throw new ArgumentException("Give Postfix at least one TLS identity.", nameof(options));
        }

        var endpoints = options.Endpoints.Count > 0 ? options.Endpoints.ToList() : new List<IPEndPoint> { LoopbackEndpoints.NextEndpoint(25) };
        endpoints.ForEach(e => LoopbackEndpoints.EnsureLoopback(e.Address));
        var identities = options.Identities.ToList();

        return StartInFreshDirectoryAsync("postfix", PidFile, async (directory, clock) =>
        {
            var configDirectory = Path.Combine(directory, "conf");
            Directory.CreateDirectory(configDirectory);
            Directory.CreateDirectory(Path.Combine(directory, "queue"));
            var chainFiles = new List<string>();
            for (var i = 0; i < identities.Count; i++)
            {
                var (chainPath, keyPath) = identities[i].WriteTo(directory, $"tls{i}");
                chainFiles.Add(keyPath);
                chainFiles.Add(chainPath);
            }

            File.WriteAllText(Path.Combine(configDirectory, "main.cf"), MainCf(directory, options, endpoints, chainFiles));
            File.WriteAllText(Path.Combine(configDirectory, "master.cf"), MasterCf(endpoints, options));

            // Postfix will not read a file modified within the current second (it may still be being edited):
            // it sleeps and retries for up to two seconds. Date the new files in the past.
            foreach (var file in Directory.GetFiles(configDirectory))
            {
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));
            }

            // Postfix writes its start-up errors only to syslog or to a terminal: script gives it one, and
            // copies what it printed to its own output.
            var transcript = Path.Combine(directory, "postfix-start.typescript");
            var logPath = Path.Combine(directory, "maillog");
            await LaunchAsync("Postfix", RequiredProgram.Script, new[] { "--echo", "never", "-qec", $"{postfix} -c '{configDirectory}' start", transcript }, Path.Combine(directory, "script.out"), logPath, options.StartTimeout, cancellationToken);

            var daemon = await DaemonProcess.WaitForPidFileAsync("Postfix", PidFile(directory), directory, options.StartTimeout, cancellationToken);
            await WaitUntilListeningAsync("Postfix", endpoints, options.StartTimeout, () => FixtureDirectory.Tail(logPath), cancellationToken);
            return new PostfixTestServer(directory, daemon, clock.Elapsed, endpoints, identities, options.HostName);
        });
    }

    private static string PidFile(string directory) => Path.Combine(directory, "queue", "pid", "master.pid");

    private static string MainCf(string directory, PostfixTestServerOptions options, IReadOnlyList<IPEndPoint> endpoints, IReadOnlyList<string> chainFiles)
    {
        var settings = new List<(string Name, string Value)>
        {
            ("compatibility_level", "3.6"),
            ("queue_directory", Path.Combine(directory, "queue")),
            ("data_directory", Path.Combine(directory, "data")),
            ("mail_owner", "postfix"),
            ("maillog_file", Path.Combine(directory, "maillog")),
            ("maillog_file_prefixes", directory),
            ("syslog_name", "postfix-daneps"),
            ("myhostname", options.HostName),
            ("mydomain", "example.test"),
            ("myorigin", "$myhostname"),

            // smtpd binds the addresses named in master.cf; inet_interfaces only has to admit the protocol.
            ("inet_interfaces", "loopback-only"),
            ("inet_protocols", endpoints.Any(e => e.AddressFamily == AddressFamily.InterNetworkV6) ? "all" : "ipv4"),
            ("mynetworks", "127.0.0.0/8 [::1]/128"),

            // Everything accepted is discarded; nothing leaves, nothing is looked up in DNS.
            ("mydestination", string.Empty),
            ("relay_domains", string.Empty),
            ("relayhost", string.Empty),
            ("default_transport", "discard:DanePS test server"),
            ("relay_transport", "discard:DanePS test server"),
            ("local_transport", "discard:DanePS test server"),
            ("virtual_transport", "discard:DanePS test server"),
            ("smtpd_relay_restrictions", "permit_mynetworks, reject"),
            ("local_recipient_maps", string.Empty),
            ("alias_maps", string.Empty),
            ("alias_database", string.Empty),
            ("smtpd_peername_lookup", "no"),
            ("smtp_dns_support_level", "disabled"),
            ("biff", "no"),
            ("notify_classes", string.Empty),

            ("smtpd_tls_security_level", "may"),
            ("smtpd_tls_chain_files", string.Join(", ", chainFiles)),
            ("smtpd_tls_loglevel", "1"),
            ("smtpd_tls_session_cache_database", string.Empty),
        };
        if (options.MailboxDirectory is { } mailbox)
        {
            // The virtual agent writes as nobody; the folder is the test's, so it lets nobody write.
            Directory.CreateDirectory(mailbox);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(mailbox, (UnixFileMode)0x1FF);
            }
            settings.RemoveAll(setting => setting.Name == "virtual_transport");
            settings.AddRange(new[]
            {
                ("virtual_transport", "virtual"),
                ("virtual_mailbox_domains", options.MailboxDomain),
                ("virtual_mailbox_base", mailbox),
                ("virtual_mailbox_maps", "static:inbox/"),
                ("virtual_uid_maps", "static:65534"),
                ("virtual_gid_maps", "static:65534"),
                ("virtual_minimum_uid", "100"),
            });
        }

        settings.RemoveAll(setting => options.MainCf.ContainsKey(setting.Name));
        settings.AddRange(options.MainCf.Select(kv => (kv.Key, kv.Value)));

        var text = new StringBuilder("# Written by DanePS.Tests PostfixTestServer.\n");
        foreach (var (name, value) in settings)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name} = {value}\n");
        }

        return text.ToString();
    }

    private static string MasterCf(IEnumerable<IPEndPoint> endpoints, PostfixTestServerOptions options)
    {
        var text = new StringBuilder("# Written by DanePS.Tests PostfixTestServer. Nothing chrooted; no outbound transport.\n");
        var overrides = string.Concat(options.SmtpdOverrides.Select(o => $"\n  -o {o.Key}={o.Value}"));
        foreach (var endpoint in endpoints)
        {
            text.Append(CultureInfo.InvariantCulture, $"{LoopbackEndpoints.Format(endpoint)} inet n - n - - smtpd{overrides}\n");
        }

        if (options.MailboxDirectory is not null)
        {
            text.Append("virtual   unix  -       n       n       -       -       virtual\n");
        }

        text.Append("""
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            tlsmgr    unix  -       -       n       1000?   1       tlsmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            flush     unix  n       -       n       1000?   0       flush
            proxymap  unix  -       -       n       -       -       proxymap
            showq     unix  n       -       n       -       -       showq
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd

            """);
        return text.ToString();
    }
}
