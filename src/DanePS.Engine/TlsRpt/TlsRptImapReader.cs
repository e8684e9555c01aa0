using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// Reads report mails from an IMAP folder over TLS with a login. Each mail is fetched without setting \Seen
/// (BODY.PEEK); with <see cref="TlsRptImapOptions.MarkAsRead"/> a mail is marked read once all its reports were read.
/// Mails larger than <see cref="TlsRptReadOptions.MaxMessageBytes"/> are not fetched. Nothing in a mail is followed.
/// </summary>
public static class TlsRptImapReader
{
    /// <summary>Reads every mail of the folder (since the given day), each as one or more items.</summary>
    /// <exception cref="TlsRptMailboxException">The server, the login or the folder failed.</exception>
    public static async Task<IReadOnlyList<TlsRptItem>> ReadAsync(TlsRptImapOptions imap, TlsRptReadOptions options, IReporter? reporter, CancellationToken cancellationToken)
    {
        if (imap is null)
        {
            throw new ArgumentNullException(nameof(imap));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (string.IsNullOrWhiteSpace(imap.Host))
        {
            throw new ArgumentException("Name the IMAP server.", nameof(imap));
        }

        if (imap.Credential is null)
        {
            throw new ArgumentException("Give the mailbox's user name and password.", nameof(imap));
        }

        options.Validate();
        var log = reporter ?? NullReporter.Instance;
        var port = imap.EffectivePort;
        var where = string.Format(CultureInfo.InvariantCulture, "imap://{0}@{1}:{2}/{3}", imap.Credential.UserName, imap.Host, port, imap.Folder);
        using var client = new ImapClient { Timeout = (int)Math.Min(int.MaxValue, imap.Timeout.TotalMilliseconds) };
        if (imap.SkipCertificateCheck)
        {
            // The documented opt-out (-SkipCertificateCheck) for test servers with private certificates.
#pragma warning disable CA5359
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        try
        {
            log.Verbose($"IMAP: connecting to {imap.Host}:{port} ({imap.TlsMode}).");
            await client.ConnectAsync(imap.Host, port, imap.TlsMode == MailboxTlsMode.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or SslHandshakeException or ImapProtocolException or NotSupportedException or TimeoutException)
        {
            throw new TlsRptMailboxException(TlsRptMailboxFailure.Connection, $"{imap.Host}:{port} ({imap.TlsMode}) could not be reached over TLS: {ex.Message}", ex);
        }

        try
        {
            await client.AuthenticateAsync(imap.Credential, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            throw new TlsRptMailboxException(TlsRptMailboxFailure.Authentication, $"{imap.Host}:{port} refused the login of '{imap.Credential.UserName}': {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or ImapCommandException or TimeoutException)
        {
            throw new TlsRptMailboxException(TlsRptMailboxFailure.Connection, $"{imap.Host}:{port}: the login failed: {ex.Message}", ex);
        }

        IMailFolder folder;
        try
        {
            folder = string.Equals(imap.Folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(imap.Folder, cancellationToken).ConfigureAwait(false);
            await folder.OpenAsync(imap.MarkAsRead ? FolderAccess.ReadWrite : FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FolderNotFoundException or ImapCommandException)
        {
            throw new TlsRptMailboxException(TlsRptMailboxFailure.FolderNotFound, $"{imap.Host}:{port} has no folder '{imap.Folder}' that can be opened: {ex.Message}", ex);
        }

        var items = new List<TlsRptItem>();
        try
        {
            var query = imap.Since is { } since ? SearchQuery.DeliveredAfter(since.UtcDateTime.Date).Or(SearchQuery.DeliveredOn(since.UtcDateTime.Date)) : SearchQuery.All;
            var uids = await folder.SearchAsync(query, cancellationToken).ConfigureAwait(false);
            log.Verbose($"IMAP: {where}: {uids.Count} mail(s){(imap.Since is null ? string.Empty : " since " + imap.Since.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}.");
            var summaries = uids.Count == 0 ? new List<IMessageSummary>() : (await folder.FetchAsync(uids.Take(imap.MaxMessages).ToList(), MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken).ConfigureAwait(false)).ToList();
            foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
            {
                var source = string.Format(CultureInfo.InvariantCulture, "{0};UID={1}", where, summary.UniqueId.Id);
                if (summary.Size is { } size && size > options.MaxMessageBytes)
                {
                    items.Add(TlsRptItem.Failed(new TlsRptFormatException(TlsRptProblem.TooLarge, source, $"the mail is {size} bytes, larger than the limit of {options.MaxMessageBytes}; it is not fetched.")));
                    continue;
                }

                var message = await folder.GetMessageAsync(summary.UniqueId, cancellationToken).ConfigureAwait(false);
                var read = TlsRptReader.ReadMessage(message, source, options);
                items.AddRange(read);
                if (imap.MarkAsRead && read.All(i => i.Report is not null))
                {
                    await folder.AddFlagsAsync(summary.UniqueId, MessageFlags.Seen, true, cancellationToken).ConfigureAwait(false);
                }
            }

            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or ImapCommandException or SocketException or TimeoutException)
        {
            throw new TlsRptMailboxException(TlsRptMailboxFailure.Connection, $"{where}: reading the mails failed: {ex.Message}", ex);
        }

        return items;
    }
}
