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

/// <summary>How to run a <see cref="DovecotTestServer"/>. A port left null turns that listener off.</summary>
public sealed class DovecotTestServerOptions
{
    /// <summary>
    /// The one address all listeners use, with the ports exactly as given; null means a fresh loopback address,
    /// where a port that cannot be bound (a wildcard listener holds it) is replaced by a free one.
    /// </summary>
    public IPAddress? Address { get; set; }

    /// <summary>IMAP with STARTTLS.</summary>
    public int? ImapPort { get; set; } = 143;

    /// <summary>POP3 with STLS.</summary>
    public int? Pop3Port { get; set; } = 110;

    /// <summary>IMAP over implicit TLS; off unless set (993 is the usual port).</summary>
    public int? ImapsPort { get; set; }

    /// <summary>POP3 over implicit TLS; off unless set (995 is the usual port).</summary>
    public int? Pop3sPort { get; set; }

    /// <summary>The chain and key (<c>ssl_cert</c>/<c>ssl_key</c>), and optionally a second of the other key type (<c>ssl_alt_cert</c>).</summary>
    public IList<TlsIdentity> Identities { get; } = new List<TlsIdentity>();

    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Users (name, password) that may log in; when any are given, Dovecot also serves SASL to Postfix on a Unix socket
    /// (<see cref="DovecotTestServer.SaslSocketPath"/>), for SMTP AUTH in a submission fixture.
    /// </summary>
    public IDictionary<string, string> SaslUsers { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Users (name, password and Maildir) that may log in to IMAP and POP3 and read their Maildir, as uid and gid
    /// 65534 (nobody, as whom Postfix's virtual agent delivers). The Maildir is the user's home (mail_location = maildir:~).
    /// </summary>
    public IDictionary<string, (string Password, string Maildir)> MailUsers { get; } = new Dictionary<string, (string Password, string Maildir)>(StringComparer.Ordinal);
}

/// <summary>
/// A private Dovecot instance (own base_dir and state_dir, run as root) with IMAP STARTTLS and POP3 STLS, and
/// optionally IMAPS and POP3S, on one loopback address. It has no users unless given: SASL users for Postfix, and
/// mail users who log in to IMAP and read a Maildir.
/// </summary>
public sealed class DovecotTestServer : DaemonTestServer
{
    private DovecotTestServer(string directory, DaemonProcess daemon, TimeSpan startDuration, IReadOnlyList<TlsIdentity> identities, IPEndPoint? imap, IPEndPoint? pop3, IPEndPoint? imaps, IPEndPoint? pop3s, string? saslSocketPath)
        : base(directory, daemon, startDuration, StopGrace, Path.Combine(directory, "dovecot.log"))
    {
        SaslSocketPath = saslSocketPath;
        Identities = identities;
        ImapEndpoint = imap;
        Pop3Endpoint = pop3;
        ImapsEndpoint = imaps;
        Pop3sEndpoint = pop3s;
    }

    /// <summary>
    /// Dovecot's master sleeps about a second on SIGTERM before it exits; a test fixture has nothing to flush, so
    /// after a short grace its process group is killed.
    /// </summary>
    private static TimeSpan StopGrace => TimeSpan.FromMilliseconds(100);

    public IReadOnlyList<TlsIdentity> Identities { get; }

    public IPEndPoint? ImapEndpoint { get; }

    public IPEndPoint? Pop3Endpoint { get; }

    public IPEndPoint? ImapsEndpoint { get; }

    public IPEndPoint? Pop3sEndpoint { get; }

    /// <summary>The SASL socket for Postfix (smtpd_sasl_type = dovecot), when SASL users were given.</summary>
    public string? SaslSocketPath { get; }

    public IEnumerable<IPEndPoint> Endpoints => new[] { ImapEndpoint, Pop3Endpoint, ImapsEndpoint, Pop3sEndpoint }.OfType<IPEndPoint>();

    /// <summary>IMAP (STARTTLS) on 143 and POP3 (STLS) on 110 of a fresh loopback address, and IMAPS/POP3S on 993/995 if asked.</summary>
    public static Task<DovecotTestServer> StartAsync(TlsIdentity identity, bool implicitTls = false)
    {
        var options = new DovecotTestServerOptions();
        options.Identities.Add(identity);
        if (implicitTls)
        {
            options.ImapsPort = 993;
            options.Pop3sPort = 995;
        }

        return StartAsync(options);
    }

    public static Task<DovecotTestServer> StartAsync(DovecotTestServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequiredProgram.Dovecot.Locate();
        if (options.ImapPort is not null || options.ImapsPort is not null)
        {
            RequiredProgram.DovecotImap.Locate();
        }

        if (options.Pop3Port is not null || options.Pop3sPort is not null)
        {
            RequiredProgram.DovecotPop3.Locate();
        }

        if (options.Identities.Count is 0 or > 2)
        {
            throw new ArgumentException("Give Dovecot one TLS identity, or two of different key types.", nameof(options));
        }

        var address = options.Address ?? LoopbackEndpoints.NextAddress();
        LoopbackEndpoints.EnsureLoopback(address);

        // On a fresh address a taken well-known port gives way to a free one; on a given address ports are exact.
        IPEndPoint? Listener(int? port) => port is not { } p ? null
            : options.Address is null ? LoopbackEndpoints.EndpointOn(address, p) : new IPEndPoint(address, p);
        var imap = Listener(options.ImapPort);
        var pop3 = Listener(options.Pop3Port);
        var imaps = Listener(options.ImapsPort);
        var pop3s = Listener(options.Pop3sPort);
        if (imap is null && pop3 is null && imaps is null && pop3s is null)
        {
            throw new ArgumentException("Turn on at least one Dovecot listener.", nameof(options));
        }

        var identities = options.Identities.ToList();
        var users = options.SaslUsers.ToList();
        var mailUsers = options.MailUsers.ToList();
        return StartInFreshDirectoryAsync("dovecot", PidFile, async (directory, clock) =>
        {
            var files = identities.Select((identity, i) => identity.WriteTo(directory, $"tls{i}")).ToList();
            var configPath = Path.Combine(directory, "dovecot.conf");
            File.WriteAllText(Path.Combine(directory, "users"), string.Concat(users.Select(u => $"{u.Key}:{{PLAIN}}{u.Value}::::::\n"))
                + string.Concat(mailUsers.Select(u => $"{u.Key}:{{PLAIN}}{u.Value.Password}:65534:65534::{u.Value.Maildir}::\n")));
            var saslSocket = users.Count > 0 ? Path.Combine(directory, "auth-postfix") : null;
            File.WriteAllText(configPath, Config(directory, address, files, imap, pop3, imaps, pop3s) + (saslSocket is null ? string.Empty : SaslService(saslSocket))
                + (mailUsers.Count > 0 ? "mail_location = maildir:~\n# A refused login answers at once (a test waits for it, nobody guesses passwords here).\nauth_failure_delay = 0\n" : string.Empty));

            var logPath = Path.Combine(directory, "dovecot.log");
            await LaunchAsync("Dovecot", RequiredProgram.Dovecot, new[] { "-c", configPath }, Path.Combine(directory, "dovecot-start.log"), logPath, options.StartTimeout, cancellationToken);

            var daemon = await DaemonProcess.WaitForPidFileAsync("Dovecot", PidFile(directory), directory, options.StartTimeout, cancellationToken);
            await WaitUntilListeningAsync("Dovecot", new[] { imap, pop3, imaps, pop3s }.OfType<IPEndPoint>(), options.StartTimeout, () => FixtureDirectory.Tail(logPath), cancellationToken);
            return new DovecotTestServer(directory, daemon, clock.Elapsed, identities, imap, pop3, imaps, pop3s, saslSocket);
        });
    }

    /// <summary>SASL for Postfix: a socket Postfix's smtpd (running as root here, nothing chrooted) can reach.</summary>
    private static string SaslService(string socketPath) => $$"""
        service auth {
          unix_listener {{socketPath}} {
            mode = 0666
          }
        }

        """;

    private static string PidFile(string directory) => Path.Combine(directory, "run", "master.pid");

    private static string Config(string directory, IPAddress address, List<(string ChainPath, string KeyPath)> files, IPEndPoint? imap, IPEndPoint? pop3, IPEndPoint? imaps, IPEndPoint? pop3s)
    {
        var protocols = new List<string>();
        if (imap is not null || imaps is not null)
        {
            protocols.Add("imap");
        }

        if (pop3 is not null || pop3s is not null)
        {
            protocols.Add("pop3");
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # Written by DanePS.Tests DovecotTestServer.
            base_dir = {directory}/run
            state_dir = {directory}/state
            instance_name = {Path.GetFileName(directory)}
            protocols = {string.Join(' ', protocols)}
            listen = {address}
            log_path = {directory}/dovecot.log
            ssl = yes
            ssl_cert = <{files[0].ChainPath}
            ssl_key = <{files[0].KeyPath}

            """);
        if (files.Count > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"ssl_alt_cert = <{files[1].ChainPath}\nssl_alt_key = <{files[1].KeyPath}\n");
        }

        // Only the users given exist: with none, the passwd-file is empty and every login fails.
        text.Append(CultureInfo.InvariantCulture, $$"""
            disable_plaintext_auth = yes
            auth_mechanisms = plain
            passdb {
              driver = passwd-file
              args = {{directory}}/users
            }
            userdb {
              driver = passwd-file
              args = {{directory}}/users
            }

            """);
        text.Append(Service("imap-login", ("imap", imap, false), ("imaps", imaps, true)));
        text.Append(Service("pop3-login", ("pop3", pop3, false), ("pop3s", pop3s, true)));
        return text.ToString();
    }

    private static string Service(string name, params (string Name, IPEndPoint? Endpoint, bool Ssl)[] listeners)
    {
        if (listeners.All(l => l.Endpoint is null))
        {
            return string.Empty;
        }

        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"service {name} {{\n"));
        foreach (var (listener, endpoint, ssl) in listeners)
        {
            // A listener left out of the config would get Dovecot's default address and port: turn it off instead.
            text.Append(CultureInfo.InvariantCulture, $"  inet_listener {listener} {{\n");
            text.Append(endpoint is null
                ? "    port = 0\n"
                : string.Create(CultureInfo.InvariantCulture, $"    address = {endpoint.Address}\n    port = {endpoint.Port}\n    ssl = {(ssl ? "yes" : "no")}\n"));
            text.Append("  }\n");
        }

        text.Append("}\n");
        return text.ToString();
    }
}
