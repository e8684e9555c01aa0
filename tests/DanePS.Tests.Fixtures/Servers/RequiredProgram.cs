using System.IO;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>A program a fixture runs, with the Debian package that ships it, so a missing one fails with a fix.</summary>
public sealed record RequiredProgram(string Path, string DebianPackage)
{
    public static readonly RequiredProgram Postfix = new("/usr/sbin/postfix", "postfix");
    public static readonly RequiredProgram PostfixMaster = new("/usr/lib/postfix/sbin/master", "postfix");
    public static readonly RequiredProgram Script = new("/usr/bin/script", "bsdutils");
    public static readonly RequiredProgram Dovecot = new("/usr/sbin/dovecot", "dovecot-core");
    public static readonly RequiredProgram DovecotImap = new("/usr/lib/dovecot/imap-login", "dovecot-imapd");
    public static readonly RequiredProgram DovecotPop3 = new("/usr/lib/dovecot/pop3-login", "dovecot-pop3d");
    public static readonly RequiredProgram Nginx = new("/usr/sbin/nginx", "nginx");
    public static readonly RequiredProgram OpenSsl = new("/usr/bin/openssl", "openssl");

    /// <summary>Returns <see cref="Path"/>, or throws a <see cref="ServerFixtureException"/> naming the package to install.</summary>
    public string Ensure()
    {
        if (!File.Exists(Path))
        {
            throw new ServerFixtureException(
                $"{Path} is missing: install the Debian package '{DebianPackage}' (apt-get install -y {DebianPackage}).");
        }

        return Path;
    }
}
