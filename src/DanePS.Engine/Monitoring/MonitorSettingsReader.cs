using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using DanePS.Engine.Alerts;
using DanePS.Engine.Dns;
using DanePS.Engine.Dnssec;
using DanePS.Engine.Tls;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// Reads and validates monitor settings (the schema is in about_DanePS, "Monitor settings") before anything runs:
/// every unknown key, wrong type, bad host name, missing or literal secret is reported at once, with its key path and
/// line, and no settings are returned while any problem remains.
/// </summary>
public sealed class MonitorSettingsReader
{
    private static readonly string[] TopKeys = { "Endpoints", "MailDomains", "Dns", "Checks", "Thresholds", "Alerts", "TlsRptMailbox" };
    private static readonly string[] EndpointKeys = { "HostName", "Port", "StartTls" };
    private static readonly string[] DnsKeys = { "Server", "TimeoutSec", "Retries", "TcpOnly", "DnssecValidation", "TrustAnchorPath" };
    private static readonly string[] CheckKeys = { "TimeoutSec", "ThrottleLimit", "SingleHandshake" };
    private static readonly string[] ThresholdKeys = { "MaxRecords", "CertificateExpiryDays", "RrsigExpiryDays" };
    private static readonly string[] AlertKeys = { "StatePath", "SuppressFor", "LockTimeoutSec", "Channels" };
    private static readonly string[] TlsRptKeys = { "Server", "Port", "TlsMode", "UserName", "Password", "Folder", "SinceDays", "MarkAsRead", "SkipCertificateCheck" };
    private static readonly string[] CommonChannelKeys = { "Type", "Name", "MinimumSeverity", "TimeoutSec", "MaxAttempts", "RetryBudgetSec" };
    private static readonly Dictionary<string, string[]> ChannelKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Email"] = new[] { "SmtpServer", "SmtpPort", "TlsMode", "From", "To", "UserName", "Password", "SkipCertificateCheck" },
        ["Telegram"] = new[] { "BotToken", "ChatId", "BaseAddress" },
        ["Slack"] = new[] { "WebhookUrl" },
        ["Teams"] = new[] { "WebhookUrl" },
        ["Webhook"] = new[] { "WebhookUrl", "BearerToken" },
    };

    private readonly ISecretResolver _secrets;
    private readonly List<SettingsProblem> _problems = new();

    private Func<string, string> _resolvePath = Path.GetFullPath;

    private MonitorSettingsReader(ISecretResolver secrets) => _secrets = secrets;

    /// <summary>
    /// Validates <paramref name="root"/> and builds the settings; null, with every problem in <paramref name="problems"/>,
    /// when anything is wrong. Secrets are resolved through <paramref name="secrets"/>.
    /// </summary>
    public static MonitorSettings? Read(SettingsNode root, ISecretResolver secrets, string? sourcePath, out IReadOnlyList<SettingsProblem> problems) =>
        Read(root, secrets, sourcePath, null, out problems);

    /// <summary>
    /// As <see cref="Read(SettingsNode, ISecretResolver, string?, out IReadOnlyList{SettingsProblem})"/>, with the
    /// rule for relative paths the settings name (Dns.TrustAnchorPath): by default beside <paramref name="sourcePath"/>,
    /// or the process's current folder when the settings have no file.
    /// </summary>
    public static MonitorSettings? Read(SettingsNode root, ISecretResolver secrets, string? sourcePath, Func<string, string>? resolvePath, out IReadOnlyList<SettingsProblem> problems)
    {
        var reader = new MonitorSettingsReader(secrets ?? throw new ArgumentNullException(nameof(secrets)))
        {
            _resolvePath = resolvePath ?? (path => Path.GetFullPath(sourcePath is null || Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sourcePath))!, path))),
        };
        var settings = reader.ReadRoot(root ?? throw new ArgumentNullException(nameof(root)));
        settings.SourcePath = sourcePath;
        foreach (var p in reader._problems)
        {
            p.File = sourcePath;
        }

        // In the order of the file, whatever order the keys were checked in.
        problems = reader._problems.Select((p, i) => (p, i)).OrderBy(x => x.p.Line).ThenBy(x => x.i).Select(x => x.p).ToList();
        return problems.Count == 0 ? settings : null;
    }

    /// <summary>
    /// Validates the settings given as parameters (hosts as "host" or "host:port", mail domains), the same way.
    /// </summary>
    public static IReadOnlyList<SettingsProblem> AddTargets(MonitorSettings settings, IEnumerable<string> hosts, int defaultPort, IEnumerable<string> mailDomains)
    {
        var reader = new MonitorSettingsReader(NoSecrets.Instance);
        var i = 0;
        foreach (var h in hosts ?? Array.Empty<string>())
        {
            if (reader.EndpointFromText(h, defaultPort, StartTlsProtocol.Auto, $"HostName[{i++}]", 0) is { } e)
            {
                settings.Endpoints.Add(e);
            }
        }

        i = 0;
        foreach (var d in mailDomains ?? Array.Empty<string>())
        {
            if (reader.HostName(d, $"MailDomain[{i++}]", 0) is { } name)
            {
                settings.MailDomains.Add(name);
            }
        }

        return reader._problems;
    }

    private MonitorSettings ReadRoot(SettingsNode root)
    {
        var settings = new MonitorSettings();
        if (!IsTable(root, string.Empty, root.Line, TopKeys))
        {
            return settings;
        }

        foreach (var (item, path) in ListOf(root.Find("Endpoints"), "Endpoints"))
        {
            if (Endpoint(item, path) is { } e)
            {
                settings.Endpoints.Add(e);
            }
        }

        foreach (var (item, path) in ListOf(root.Find("MailDomains"), "MailDomains"))
        {
            if (Text(item, path, item.Line) is { } text && HostName(text, path, item.Line) is { } domain)
            {
                settings.MailDomains.Add(domain);
            }
        }

        if (settings.Endpoints.Count == 0 && settings.MailDomains.Count == 0 && root.Find("Endpoints") is null && root.Find("MailDomains") is null)
        {
            Problem(SettingsProblemKind.MissingKey, string.Empty, root.Line, "Nothing to check: give Endpoints (host names, or @{ HostName = …; Port = … }) or MailDomains.");
        }

        ReadDns(root.Find("Dns"), settings);
        ReadChecks(root.Find("Checks"), settings);
        ReadThresholds(root.Find("Thresholds"), settings);
        ReadAlerts(root.Find("Alerts"), settings);
        settings.TlsRptMailbox = ReadTlsRpt(root.Find("TlsRptMailbox"));
        return settings;
    }

    private void ReadDns(SettingsEntry? entry, MonitorSettings settings)
    {
        if (entry is null || !IsTable(entry.Value, "Dns", entry.Line, DnsKeys))
        {
            return;
        }

        var t = entry.Value;
        foreach (var (item, path) in ListOf(t.Find("Server"), "Dns.Server"))
        {
            if (Text(item, path, item.Line) is { } server)
            {
                try
                {
                    DnsResolverOptions.ParseServer(server);
                    settings.Servers.Add(server);
                }
                catch (FormatException ex)
                {
                    Problem(SettingsProblemKind.InvalidValue, path, item.Line, ex.Message);
                }
            }
        }

        settings.DnsTimeout = TimeSpan.FromSeconds(Number(t.Find("TimeoutSec"), "Dns.TimeoutSec", 1, 60) ?? 3);
        settings.DnsRetries = Number(t.Find("Retries"), "Dns.Retries", 0, 10) ?? 2;
        settings.DnsTcpOnly = Flag(t.Find("TcpOnly"), "Dns.TcpOnly") ?? false;
        settings.DnssecValidation = Choice<DnssecValidationMode>(t.Find("DnssecValidation"), "Dns.DnssecValidation") ?? DnssecValidationMode.Auto;
        if (t.Find("TrustAnchorPath") is { } anchors && Text(anchors.Value, "Dns.TrustAnchorPath", anchors.Line) is { } anchorPath)
        {
            // Read now, with the settings: a file that cannot serve stops the run before anything is asked.
            string? file = null;
            try
            {
                file = _resolvePath(anchorPath);
                foreach (var anchor in TrustAnchorFile.Parse(File.ReadAllText(file)))
                {
                    settings.TrustAnchors.Add(anchor);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException)
            {
                Problem(SettingsProblemKind.InvalidValue, "Dns.TrustAnchorPath", anchors.Line, $"'{file ?? anchorPath}' gives no usable trust anchor: {ex.Message}");
            }
        }
    }

    private void ReadChecks(SettingsEntry? entry, MonitorSettings settings)
    {
        if (entry is null || !IsTable(entry.Value, "Checks", entry.Line, CheckKeys))
        {
            return;
        }

        settings.ConnectTimeout = TimeSpan.FromSeconds(Number(entry.Value.Find("TimeoutSec"), "Checks.TimeoutSec", 1, 600) ?? 30);
        settings.ThrottleLimit = Number(entry.Value.Find("ThrottleLimit"), "Checks.ThrottleLimit", 1, 256) ?? 16;
        settings.SingleHandshake = Flag(entry.Value.Find("SingleHandshake"), "Checks.SingleHandshake") ?? false;
    }

    private void ReadThresholds(SettingsEntry? entry, MonitorSettings settings)
    {
        if (entry is null || !IsTable(entry.Value, "Thresholds", entry.Line, ThresholdKeys))
        {
            return;
        }

        settings.MaxRecords = Number(entry.Value.Find("MaxRecords"), "Thresholds.MaxRecords", 1, 100) ?? 2;
        settings.CertificateExpiryDays = Number(entry.Value.Find("CertificateExpiryDays"), "Thresholds.CertificateExpiryDays", 0, 3650) ?? 21;
        settings.RrsigExpiryDays = Number(entry.Value.Find("RrsigExpiryDays"), "Thresholds.RrsigExpiryDays", 0, 365) ?? 7;
    }

    private void ReadAlerts(SettingsEntry? entry, MonitorSettings settings)
    {
        if (entry is null || !IsTable(entry.Value, "Alerts", entry.Line, AlertKeys))
        {
            return;
        }

        var t = entry.Value;
        if (t.Find("StatePath") is { } state)
        {
            settings.StatePath = Text(state.Value, "Alerts.StatePath", state.Line);
        }

        if (t.Find("SuppressFor") is { } suppress)
        {
            settings.SuppressFor = Duration(suppress, "Alerts.SuppressFor") ?? settings.SuppressFor;
        }

        settings.LockTimeout = TimeSpan.FromSeconds(Number(t.Find("LockTimeoutSec"), "Alerts.LockTimeoutSec", 0, 3600) ?? 60);
        foreach (var (item, path) in ListOf(t.Find("Channels"), "Alerts.Channels"))
        {
            if (Channel(item, path) is { } channel)
            {
                if (settings.Channels.Any(c => string.Equals(c.Name, channel.Name, StringComparison.Ordinal)))
                {
                    Problem(SettingsProblemKind.InvalidValue, path, item.Line, $"Another channel is already named '{channel.Name}': give each its own Name, since the name keys what was announced on it.");
                    continue;
                }

                settings.Channels.Add(channel);
            }
        }
    }

    private TlsRptMailboxSettings? ReadTlsRpt(SettingsEntry? entry)
    {
        if (entry is null || !IsTable(entry.Value, "TlsRptMailbox", entry.Line, TlsRptKeys))
        {
            return null;
        }

        var t = entry.Value;
        var mailbox = new TlsRptMailboxSettings();
        if (Required(t, "Server", "TlsRptMailbox", entry.Line) is { } server && Text(server.Value, "TlsRptMailbox.Server", server.Line) is { } s)
        {
            // An IMAP server is not a DANE target: an address is as good as a name (its certificate must name it).
            mailbox.Server = System.Net.IPAddress.TryParse(s.Trim().Trim('[', ']'), out var address) ? address.ToString() : HostName(s, "TlsRptMailbox.Server", server.Line) ?? s;
        }

        var port = Number(t.Find("Port"), "TlsRptMailbox.Port", 1, 65535);
        mailbox.TlsMode = Choice<TlsRpt.MailboxTlsMode>(t.Find("TlsMode"), "TlsRptMailbox.TlsMode") ?? (port == 143 ? TlsRpt.MailboxTlsMode.StartTls : TlsRpt.MailboxTlsMode.ImplicitTls);
        mailbox.Port = port ?? (mailbox.TlsMode == TlsRpt.MailboxTlsMode.StartTls ? 143 : 993);
        if (Required(t, "UserName", "TlsRptMailbox", entry.Line) is { } user)
        {
            mailbox.UserName = Text(user.Value, "TlsRptMailbox.UserName", user.Line) ?? string.Empty;
        }

        if (t.Find("Password") is { } password && password.Value.Value is not null)
        {
            // Resolved now, as the channels' secrets are: a missing secret stops the run before anything is checked.
            mailbox.Password = SecretReference.TryParse(password.Value.Value as string);
            mailbox.Secret = Secret(t, "Password", "TlsRptMailbox", required: true);
        }
        else
        {
            Problem(SettingsProblemKind.MissingSecret, "TlsRptMailbox.Password", entry.Line, "The TLS-RPT mailbox needs its password, referenced as 'env:NAME' or 'secret:Name'.");
        }

        if (t.Find("Folder") is { } folder)
        {
            mailbox.Folder = Text(folder.Value, "TlsRptMailbox.Folder", folder.Line) ?? mailbox.Folder;
        }

        mailbox.SinceDays = Number(t.Find("SinceDays"), "TlsRptMailbox.SinceDays", 1, 3650);
        mailbox.MarkAsRead = Flag(t.Find("MarkAsRead"), "TlsRptMailbox.MarkAsRead") ?? false;
        mailbox.SkipCertificateCheck = Flag(t.Find("SkipCertificateCheck"), "TlsRptMailbox.SkipCertificateCheck") ?? false;
        return mailbox;
    }

    private MonitorEndpoint? Endpoint(SettingsNode item, string path)
    {
        if (item.Kind == SettingsNodeKind.Scalar && item.Value is string text)
        {
            return EndpointFromText(text, 25, StartTlsProtocol.Auto, path, item.Line);
        }

        if (!IsTable(item, path, item.Line, EndpointKeys, "a host name ('mx1.example.com', 'mx1.example.com:465') or a table (@{ HostName = …; Port = …; StartTls = … })"))
        {
            return null;
        }

        var port = Number(item.Find("Port"), path + ".Port", 1, 65535) ?? 25;
        var startTls = StartTls(item.Find("StartTls"), path + ".StartTls") ?? StartTlsProtocol.Auto;
        if (Required(item, "HostName", path, item.Line) is not { } hostEntry || Text(hostEntry.Value, path + ".HostName", hostEntry.Line) is not { } host)
        {
            return null;
        }

        return HostName(host, path + ".HostName", hostEntry.Line) is { } name ? new MonitorEndpoint(name, port, startTls) : null;
    }

    private MonitorEndpoint? EndpointFromText(string text, int defaultPort, StartTlsProtocol startTls, string path, int line)
    {
        var host = text.Trim();
        var port = defaultPort;
        var colon = host.LastIndexOf(':');
        if (colon > 0 && host.IndexOf(':') == colon)
        {
            if (!int.TryParse(host.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                Problem(SettingsProblemKind.InvalidValue, path, line, $"'{text}' does not end in a port (1 to 65535): write 'host' or 'host:port'.");
                return null;
            }

            host = host.Substring(0, colon);
        }

        return HostName(host, path, line) is { } name ? new MonitorEndpoint(name, port, startTls) : null;
    }

    private AlertChannel? Channel(SettingsNode item, string path)
    {
        var typeEntry = item.Kind == SettingsNodeKind.Table ? item.Find("Type") : null;
        var type = typeEntry?.Value.Value as string;
        var specific = type is not null && ChannelKeys.TryGetValue(type, out var keys) ? keys : Array.Empty<string>();
        if (!IsTable(item, path, item.Line, CommonChannelKeys.Concat(specific).ToArray(), null, type is null ? null : type + " channel"))
        {
            return null;
        }

        if (typeEntry is null)
        {
            Problem(SettingsProblemKind.MissingKey, path + ".Type", item.Line, "A channel needs Type: Email, Telegram, Slack, Teams or Webhook.");
            return null;
        }

        if (type is null || !ChannelKeys.ContainsKey(type))
        {
            Problem(type is null ? SettingsProblemKind.WrongType : SettingsProblemKind.InvalidValue, path + ".Type", typeEntry.Line, $"Type is one of Email, Telegram, Slack, Teams or Webhook, not {(type is null ? typeEntry.Value.Describe() : "'" + type + "'")}.");
            return null;
        }

        var before = _problems.Count;
        var name = item.Find("Name") is { } n ? Text(n.Value, path + ".Name", n.Line) : null;
        var severity = Choice<AlertSeverity>(item.Find("MinimumSeverity"), path + ".MinimumSeverity", nameof(AlertSeverity.Warning), nameof(AlertSeverity.Failure)) ?? AlertSeverity.Failure;
        var timeout = Number(item.Find("TimeoutSec"), path + ".TimeoutSec", 1, 600) ?? 30;
        var attempts = Number(item.Find("MaxAttempts"), path + ".MaxAttempts", 1, 10) ?? 3;
        var budget = Number(item.Find("RetryBudgetSec"), path + ".RetryBudgetSec", 1, 3600) ?? 60;
        AlertChannel? channel = null;
        try
        {
            switch (type.ToUpperInvariant())
            {
                case "TELEGRAM":
                {
                    var token = Secret(item, "BotToken", path, required: true);
                    var chat = item.Find("ChatId") is { } c ? (c.Value.Value is long id ? id.ToString(CultureInfo.InvariantCulture) : Text(c.Value, path + ".ChatId", c.Line)) : Missing(path + ".ChatId", item.Line, "A Telegram channel needs ChatId (a number, or @channelname).");
                    var address = Uri(item.Find("BaseAddress"), path + ".BaseAddress");
                    if (_problems.Count == before)
                    {
                        channel = new TelegramAlertChannel(name ?? "Telegram " + chat, severity, token!, chat!, address);
                    }

                    break;
                }

                case "SLACK":
                case "TEAMS":
                case "WEBHOOK":
                {
                    var url = Secret(item, "WebhookUrl", path, required: true);
                    var bearer = type.Equals("Webhook", StringComparison.OrdinalIgnoreCase) ? Secret(item, "BearerToken", path, required: false) : null;
                    if (_problems.Count == before)
                    {
                        channel = type.ToUpperInvariant() switch
                        {
                            "SLACK" => new SlackAlertChannel(name ?? "Slack", severity, url!),
                            "TEAMS" => new TeamsAlertChannel(name ?? "Teams", severity, url!),
                            _ => new WebhookAlertChannel(name ?? "Webhook", severity, url!, bearer),
                        };
                    }

                    break;
                }

                default:
                    channel = Email(item, path, name, severity, before);
                    break;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            // The channels name the parameter, never the value: the message holds no secret.
            Problem(SettingsProblemKind.InvalidValue, path, item.Line, ex.Message);
            return null;
        }

        if (channel is not null)
        {
            channel.Retry.AttemptTimeoutMs = timeout * 1000;
            channel.Retry.MaxAttempts = attempts;
            channel.Retry.BudgetMs = budget * 1000;
        }

        return channel;
    }

    private EmailAlertChannel? Email(SettingsNode item, string path, string? name, AlertSeverity severity, int before)
    {
        var server = Required(item, "SmtpServer", path, item.Line) is { } s ? Text(s.Value, path + ".SmtpServer", s.Line) : null;
        var from = Required(item, "From", path, item.Line) is { } f ? Text(f.Value, path + ".From", f.Line) : null;
        var to = new List<string>();
        if (Required(item, "To", path, item.Line) is { } toEntry)
        {
            foreach (var (node, p) in ListOf(toEntry, path + ".To"))
            {
                if (Text(node, p, node.Line) is { } address)
                {
                    to.Add(address);
                }
            }
        }

        var mode = Choice<SmtpTlsMode>(item.Find("TlsMode"), path + ".TlsMode");
        var port = Number(item.Find("SmtpPort"), path + ".SmtpPort", 1, 65535);
        var user = item.Find("UserName") is { } u ? Text(u.Value, path + ".UserName", u.Line) : null;
        var password = Secret(item, "Password", path, required: user is not null);
        if (password is not null && user is null)
        {
            Problem(SettingsProblemKind.MissingKey, path + ".UserName", item.Line, "A Password needs the UserName it belongs to.");
        }

        var skip = Flag(item.Find("SkipCertificateCheck"), path + ".SkipCertificateCheck") ?? false;
        if (_problems.Count != before)
        {
            return null;
        }

        var tls = mode ?? (port == 465 ? SmtpTlsMode.ImplicitTls : SmtpTlsMode.StartTls);
        return new EmailAlertChannel(name ?? "Email " + string.Join(",", to), severity, server!, port ?? (tls == SmtpTlsMode.ImplicitTls ? 465 : 587), tls, from!, to, user, password, skip);
    }

    private SecureString? Secret(SettingsNode table, string key, string path, bool required)
    {
        var entry = table.Find(key);
        var keyPath = path + "." + key;
        if (entry is null || entry.Value.Value is null)
        {
            if (required)
            {
                Problem(SettingsProblemKind.MissingSecret, keyPath, entry?.Line ?? table.Line, $"The channel needs {key}, referenced as 'env:NAME' (an environment variable) or 'secret:Name' / 'secret:Vault/Name' (a SecretManagement vault).");
            }

            return null;
        }

        if (entry.Value.Value is SecureString secure)
        {
            return secure; // given in a hashtable, in memory: never in a file
        }

        if (entry.Value.Value is not string text)
        {
            Problem(SettingsProblemKind.WrongType, keyPath, entry.Line, $"{key} is a reference ('env:NAME' or 'secret:Name'), not {entry.Value.Describe()}.");
            return null;
        }

        if (SecretReference.TryParse(text) is not { } reference)
        {
            // Never repeat the value: it may be the secret itself.
            Problem(SettingsProblemKind.LiteralSecret, keyPath, entry.Line, $"Do not write {key} in the settings file: reference it as 'env:NAME' (an environment variable) or 'secret:Name' / 'secret:Vault/Name' (a SecretManagement vault).");
            return null;
        }

        var value = _secrets.Resolve(reference, out var why);
        if (value is null || value.Length == 0)
        {
            Problem(SettingsProblemKind.SecretNotFound, keyPath, entry.Line, $"'{reference.Text}' gives no secret: {why ?? "it is empty"}.");
            return null;
        }

        return value;
    }

    private Uri? Uri(SettingsEntry? entry, string path)
    {
        if (entry is null || Text(entry.Value, path, entry.Line) is not { } text)
        {
            return null;
        }

        if (System.Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return uri;
        }

        Problem(SettingsProblemKind.InvalidValue, path, entry.Line, $"'{text}' is not an absolute URL.");
        return null;
    }

    private string? Missing(string path, int line, string message)
    {
        Problem(SettingsProblemKind.MissingKey, path, line, message);
        return null;
    }

    private SettingsEntry? Required(SettingsNode table, string key, string path, int line)
    {
        var entry = table.Find(key);
        if (entry is null)
        {
            Problem(SettingsProblemKind.MissingKey, (path.Length > 0 ? path + "." : string.Empty) + key, line, $"{key} is required here.");
        }

        return entry;
    }

    private string? HostName(string text, string path, int line)
    {
        if (Names.HostName.TryParse(text, out var name, out var error))
        {
            return name!.Ascii;
        }

        Problem(SettingsProblemKind.InvalidHostName, path, line, error!.Message);
        return null;
    }

    private StartTlsProtocol? StartTls(SettingsEntry? entry, string path) =>
        entry?.Value.Value is string s && s.Trim().Equals("None", StringComparison.OrdinalIgnoreCase)
            ? StartTlsProtocol.ImplicitTls
            : Choice<StartTlsProtocol>(entry, path);

    private T? Choice<T>(SettingsEntry? entry, string path, params string[] allowed)
        where T : struct, Enum
    {
        if (entry is null)
        {
            return null;
        }

        var names = allowed.Length > 0 ? allowed : Enum.GetNames(typeof(T));
        if (entry.Value.Value is string text && names.FirstOrDefault(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } match)
        {
            return (T)Enum.Parse(typeof(T), match);
        }

        Problem(entry.Value.Value is string ? SettingsProblemKind.InvalidValue : SettingsProblemKind.WrongType, path, entry.Line,
            $"Give one of {string.Join(", ", names)}, not {(entry.Value.Value is string t ? "'" + t + "'" : entry.Value.Describe())}.");
        return null;
    }

    private int? Number(SettingsEntry? entry, string path, int min, int max)
    {
        if (entry is null)
        {
            return null;
        }

        if (entry.Value.Value is not long value)
        {
            Problem(SettingsProblemKind.WrongType, path, entry.Line, $"Give a whole number from {min} to {max}, not {entry.Value.Describe()}.");
            return null;
        }

        if (value < min || value > max)
        {
            Problem(SettingsProblemKind.InvalidValue, path, entry.Line, string.Format(CultureInfo.InvariantCulture, "{0} is out of range: give {1} to {2}.", value, min, max));
            return null;
        }

        return (int)value;
    }

    private bool? Flag(SettingsEntry? entry, string path)
    {
        if (entry is null)
        {
            return null;
        }

        if (entry.Value.Value is bool b)
        {
            return b;
        }

        Problem(SettingsProblemKind.WrongType, path, entry.Line, $"Give $true or $false, not {entry.Value.Describe()}.");
        return null;
    }

    private TimeSpan? Duration(SettingsEntry entry, string path)
    {
        TimeSpan? value = entry.Value.Value switch
        {
            TimeSpan t => t,
            long seconds => TimeSpan.FromSeconds(seconds),
            string s when TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var t) => t,
            _ => null,
        };
        if (value is null)
        {
            Problem(entry.Value.Value is string ? SettingsProblemKind.InvalidValue : SettingsProblemKind.WrongType, path, entry.Line,
                $"Give a duration as 'hh:mm:ss' ('01:00:00') or seconds (3600), not {(entry.Value.Value is string s2 ? "'" + s2 + "'" : entry.Value.Describe())}.");
            return null;
        }

        if (value < TimeSpan.Zero)
        {
            Problem(SettingsProblemKind.InvalidValue, path, entry.Line, "A duration cannot be negative.");
            return null;
        }

        return value;
    }

    private string? Text(SettingsNode node, string path, int line)
    {
        if (node.Value is string s && s.Trim().Length > 0)
        {
            return s.Trim();
        }

        Problem(node.Value is string ? SettingsProblemKind.InvalidValue : SettingsProblemKind.WrongType, path, line,
            node.Value is string ? "Give a value, not an empty string." : $"Give a string, not {node.Describe()}.");
        return null;
    }

    /// <summary>The items of a list key; a single value counts as a list of one (PowerShell writes @('a') and 'a' alike).</summary>
    private static IEnumerable<(SettingsNode Item, string Path)> ListOf(SettingsEntry? entry, string path)
    {
        if (entry is null)
        {
            return Array.Empty<(SettingsNode, string)>();
        }

        if (entry.Value.Kind != SettingsNodeKind.List)
        {
            return entry.Value.Value is null && entry.Value.Kind == SettingsNodeKind.Scalar
                ? Array.Empty<(SettingsNode, string)>()
                : new[] { (entry.Value, path + "[0]") };
        }

        return entry.Value.Items.Select((item, i) => (item, string.Format(CultureInfo.InvariantCulture, "{0}[{1}]", path, i)));
    }

    private bool IsTable(SettingsNode node, string path, int line, IReadOnlyCollection<string> keys, string? expected = null, string? what = null)
    {
        if (node.Kind != SettingsNodeKind.Table)
        {
            Problem(SettingsProblemKind.WrongType, path, line, $"Give {expected ?? "a table (@{ … })"}, not {node.Describe()}.");
            return false;
        }

        foreach (var e in node.Entries.Where(e => !keys.Contains(e.Key, StringComparer.OrdinalIgnoreCase)))
        {
            var near = keys.FirstOrDefault(k => k.StartsWith(e.Key.Substring(0, Math.Min(3, e.Key.Length)), StringComparison.OrdinalIgnoreCase));
            Problem(SettingsProblemKind.UnknownKey, (path.Length > 0 ? path + "." : string.Empty) + e.Key, e.Line,
                $"'{e.Key}' is not a key of {what ?? (path.Length > 0 ? path : "the settings")}{(near is null ? string.Empty : $" (did you mean '{near}'?)")}; the keys are {string.Join(", ", keys)}.");
        }

        return true;
    }

    private void Problem(SettingsProblemKind kind, string path, int line, string message) => _problems.Add(new SettingsProblem(kind, path, line, message));

    private sealed class NoSecrets : ISecretResolver
    {
        public static readonly NoSecrets Instance = new();

        public SecureString? Resolve(SecretReference reference, out string? why)
        {
            why = "no secrets here";
            return null;
        }
    }
}
