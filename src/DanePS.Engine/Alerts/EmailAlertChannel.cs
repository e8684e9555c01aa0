using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Alerts;

/// <summary>
/// E-mail through SMTP submission with MailKit: STARTTLS (required, never skipped) or implicit TLS, optional
/// authentication, the server's certificate validated unless <see cref="SkipCertificateCheck"/> is set (test servers).
/// Failures are sent at high priority, warnings at low, as the classic monitor did.
/// </summary>
public sealed class EmailAlertChannel : AlertChannel
{
    private readonly SecureString? _password;

    /// <summary>Creates the channel.</summary>
    public EmailAlertChannel(
        string name,
        AlertSeverity minimumSeverity,
        string smtpServer,
        int port,
        SmtpTlsMode tlsMode,
        string from,
        IEnumerable<string> to,
        string? userName,
        SecureString? password,
        bool skipCertificateCheck)
        : base(name, minimumSeverity)
    {
        if (string.IsNullOrWhiteSpace(smtpServer))
        {
            throw new ArgumentException("Give the SMTP submission server.", nameof(smtpServer));
        }

        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), "A port is 1 to 65535.");
        }

        From = CheckAddress(from, nameof(from));
        To = new ReadableList<string>((to ?? throw new ArgumentNullException(nameof(to))).Select(a => CheckAddress(a, nameof(to))).ToList());
        if (To.Count == 0)
        {
            throw new ArgumentException("Give at least one recipient.", nameof(to));
        }

        SmtpServer = smtpServer;
        Port = port;
        TlsMode = tlsMode;
        UserName = string.IsNullOrEmpty(userName) ? null : userName;
        if (password is not null && password.Length > 0)
        {
            _password = password.Copy();
            _password.MakeReadOnly();
        }

        SkipCertificateCheck = skipCertificateCheck;
    }

    /// <summary>The submission server.</summary>
    public string SmtpServer { get; }

    /// <summary>Its port (587 for STARTTLS, 465 for implicit TLS).</summary>
    public int Port { get; }

    /// <summary>STARTTLS or implicit TLS.</summary>
    public SmtpTlsMode TlsMode { get; }

    /// <summary>The sender.</summary>
    public string From { get; }

    /// <summary>The recipients.</summary>
    public ReadableList<string> To { get; }

    /// <summary>The login name, when the server wants one.</summary>
    public string? UserName { get; }

    /// <summary>Accept any server certificate: for test servers only.</summary>
    public bool SkipCertificateCheck { get; }

    /// <inheritdoc />
    public override string ChannelType => "Email";

    /// <inheritdoc />
    public override string Target => string.Format(
        CultureInfo.InvariantCulture, "{0} via {1}:{2} ({3}{4})", string.Join(", ", To), SmtpServer, Port, TlsMode, UserName is null ? string.Empty : ", as " + UserName);

    /// <inheritdoc />
    internal override IEnumerable<SecureString> Secrets => _password is null ? Array.Empty<SecureString>() : new[] { _password };

    private static string CheckAddress(string address, string parameter)
    {
        try
        {
            return MailboxAddress.Parse(address).ToString();
        }
        catch (ParseException ex)
        {
            throw new ArgumentException($"'{address}' is not an e-mail address: {ex.Message}", parameter, ex);
        }
    }

    /// <summary>The MIME message for an alert.</summary>
    internal MimeMessage Compose(AlertMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(From));
        foreach (var to in To)
        {
            mime.To.Add(MailboxAddress.Parse(to));
        }

        mime.Subject = message.Subject;
        mime.Date = DateTimeOffset.Now;
        mime.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId();
        var high = message.Kind == AlertKind.Problem && message.Severity == AlertSeverity.Failure;
        var low = message.Kind == AlertKind.Problem && message.Severity == AlertSeverity.Warning;
        if (high || low)
        {
            mime.Priority = high ? MessagePriority.Urgent : MessagePriority.NonUrgent;
            mime.Importance = high ? MessageImportance.High : MessageImportance.Low;
            mime.XPriority = high ? XMessagePriority.Highest : XMessagePriority.Lowest;
        }

        mime.Headers.Add("X-DanePS-Alert", message.Kind.ToString());
        mime.Body = new TextPart("plain") { Text = message.ToPlainText() };
        return mime;
    }

    /// <inheritdoc />
    internal override Task<int> SendAsync(AlertMessage message, AlertSubject subject, IReporter log, CancellationToken cancellationToken)
    {
        var target = "SMTP " + SmtpServer + ":" + Port.ToString(CultureInfo.InvariantCulture);
        return AlertRetry.RunAsync(Retry, log, target, async token =>
        {
            var mime = Compose(message);
            using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, Retry.AttemptTimeout.TotalMilliseconds) };
            if (SkipCertificateCheck)
            {
                // The documented opt-out (-SkipCertificateCheck) for test servers with private certificates.
#pragma warning disable CA5359
                client.ServerCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            }

            try
            {
                log.Debug(string.Format(CultureInfo.InvariantCulture, "{0}: connecting ({1})", target, TlsMode));
                await client.ConnectAsync(SmtpServer, Port, TlsMode == SmtpTlsMode.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.SslOnConnect, token).ConfigureAwait(false);
                if (UserName is not null)
                {
                    log.Debug(string.Format(CultureInfo.InvariantCulture, "{0}: authenticating as {1}", target, UserName));
                    await client.AuthenticateAsync(UserName, _password is null ? string.Empty : SecretRedactor.Reveal(_password), token).ConfigureAwait(false);
                }

                var answer = await client.SendAsync(mime, token).ConfigureAwait(false);
                log.Debug(string.Format(CultureInfo.InvariantCulture, "{0}: accepted: {1}", target, answer));
                await client.DisconnectAsync(true, token).ConfigureAwait(false);
            }
            catch (AuthenticationException ex)
            {
                throw AlertRetry.Permanent(string.Format(CultureInfo.InvariantCulture, "{0} refused the login of {1}: {2}", target, UserName, ex.Message), ex);
            }
            catch (SmtpCommandException ex)
            {
                var code = (int)ex.StatusCode;
                var text = string.Format(CultureInfo.InvariantCulture, "{0} refused the message ({1} {2})", target, code, ex.Message);
                throw code is >= 400 and < 500 ? AlertRetry.Transient(text, null, ex) : AlertRetry.Permanent(text, ex);
            }
            catch (SslHandshakeException ex)
            {
                throw AlertRetry.Permanent(string.Format(CultureInfo.InvariantCulture, "{0}: the TLS handshake failed (is the server's certificate trusted for {1}?): {2}", target, SmtpServer, ex.Message), ex);
            }
            catch (NotSupportedException ex)
            {
                throw AlertRetry.Permanent(string.Format(CultureInfo.InvariantCulture, "{0}: {1}", target, ex.Message), ex);
            }
            catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or System.IO.IOException or System.Net.Sockets.SocketException)
            {
                throw AlertRetry.Transient(string.Format(CultureInfo.InvariantCulture, "{0} could not be reached: {1}", target, ex.Message), null, ex);
            }
        }, cancellationToken);
    }
}
