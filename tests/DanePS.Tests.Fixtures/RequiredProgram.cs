using System;
using System.IO;
using System.Linq;

namespace DanePS.Tests.Fixtures;

/// <summary>
/// A program a fixture runs, with the Debian package that ships it, so a missing one fails with the fix.
/// <see cref="Name"/> is a full path where Debian puts the program outside any PATH (Postfix's master, Dovecot's
/// login processes) or where the fixture wants that exact program; otherwise a name looked up in PATH and the sbin
/// folders.
/// </summary>
public sealed record RequiredProgram(string Name, string DebianPackage)
{
    // DNS tree (Knot + Unbound, signed with BIND's tools) and its checks.
    public static readonly RequiredProgram Knotd = new("knotd", "knot");
    public static readonly RequiredProgram Unbound = new("unbound", "unbound");
    public static readonly RequiredProgram DnssecKeygen = new("dnssec-keygen", "bind9-utils");
    public static readonly RequiredProgram DnssecSignzone = new("dnssec-signzone", "bind9-utils");
    public static readonly RequiredProgram DnssecRevoke = new("dnssec-revoke", "bind9-utils");
    public static readonly RequiredProgram Delv = new("delv", "bind9-dnsutils");
    public static readonly RequiredProgram Drill = new("drill", "ldnsutils");
    public static readonly RequiredProgram Dig = new("dig", "bind9-dnsutils");
    public static readonly RequiredProgram Keymgr = new("keymgr", "knot");

    // Mail and web servers, and OpenSSL as server and client.
    public static readonly RequiredProgram Postfix = new("/usr/sbin/postfix", "postfix");
    public static readonly RequiredProgram PostfixMaster = new("/usr/lib/postfix/sbin/master", "postfix");
    public static readonly RequiredProgram Script = new("/usr/bin/script", "bsdutils");
    public static readonly RequiredProgram Dovecot = new("/usr/sbin/dovecot", "dovecot-core");
    public static readonly RequiredProgram DovecotImap = new("/usr/lib/dovecot/imap-login", "dovecot-imapd");
    public static readonly RequiredProgram DovecotPop3 = new("/usr/lib/dovecot/pop3-login", "dovecot-pop3d");
    public static readonly RequiredProgram Nginx = new("/usr/sbin/nginx", "nginx");
    public static readonly RequiredProgram OpenSsl = new("/usr/bin/openssl", "openssl");
    public static readonly RequiredProgram SystemdAnalyze = new("systemd-analyze", "systemd");

    // Checkers of the report formats (ConvertTo-DaneReport): Debian's python3 (not a pyenv shim) with its
    // prometheus_client and jsonschema modules, promtool, xmllint and a headless Chromium.
    public static readonly RequiredProgram Python3 = new("/usr/bin/python3", "python3-prometheus-client python3-jsonschema");
    public static readonly RequiredProgram Promtool = new("/usr/bin/promtool", "prometheus");
    public static readonly RequiredProgram Xmllint = new("/usr/bin/xmllint", "libxml2-utils");
    public static readonly RequiredProgram Chromium = new("/usr/bin/chromium", "chromium");

    // Servers live in sbin, which a non-login shell or CI may leave out of PATH.
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin"];

    /// <summary>The program's full path, or a <see cref="FixtureException"/> naming the package to install.</summary>
    public string Locate()
    {
        if (Path.IsPathRooted(Name))
        {
            return File.Exists(Name) ? Name : throw Missing($"{Name} is missing");
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(directory, Name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw Missing($"'{Name}' was not found (looked in PATH and {string.Join(", ", ExtraDirectories)})");
    }

    /// <summary>The program's file name, for messages.</summary>
    public override string ToString() => Path.GetFileName(Name);

    private FixtureException Missing(string what) =>
        new($"{what}: install the Debian package '{DebianPackage}' (apt-get install -y {DebianPackage}).");
}
