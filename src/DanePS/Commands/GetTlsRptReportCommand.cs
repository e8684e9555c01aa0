using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.TlsRpt;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Reads SMTP TLS reports (RFC 8460): what the senders that deliver to a domain saw, from report files, mails or an IMAP mailbox.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "TlsRptReport", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TlsRptPolicyResult), typeof(TlsRptFailureDetail), typeof(TlsRptSummary))]
public sealed class GetTlsRptReportCommand : DanePSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string ImapSet = "Imap";

    private static readonly PathErrorIds PathErrors = new(ErrorIds.GetTlsRptReportFileNotFound, ErrorIds.GetTlsRptReportNotAFile, ErrorIds.GetTlsRptReportFileUnreadable);

    private readonly List<TlsRptFailureDetail> _failures = new();
    private readonly TlsRptReadOptions _limits = new();

    /// <summary>Report files (.json, .json.gz) or mails (.eml) that carry them; wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Report files or mails, taken exactly as written; Get-ChildItem output binds here by PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The IMAP server whose mailbox holds the report mails.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImapSet)]
    [ValidateNotNullOrEmpty]
    public string ImapServer { get; set; } = string.Empty;

    /// <summary>The mailbox login.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImapSet)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>The IMAP port: 993 for implicit TLS and 143 for STARTTLS by default.</summary>
    [Parameter(ParameterSetName = ImapSet)]
    [ValidateRange(1, 65535)]
    public int ImapPort { get; set; }

    /// <summary>ImplicitTls (default) or StartTls (the default when -ImapPort is 143); never plain text.</summary>
    [Parameter(ParameterSetName = ImapSet)]
    public MailboxTlsMode TlsMode { get; set; }

    /// <summary>The folder (default INBOX).</summary>
    [Parameter(ParameterSetName = ImapSet)]
    [ValidateNotNullOrEmpty]
    public string Folder { get; set; } = "INBOX";

    /// <summary>Only mails the server received on or after this day.</summary>
    [Parameter(ParameterSetName = ImapSet)]
    public DateTime? Since { get; set; }

    /// <summary>Mark each mail whose reports were all read as read.</summary>
    [Parameter(ParameterSetName = ImapSet)]
    public SwitchParameter MarkAsRead { get; set; }

    /// <summary>Accept any certificate from the IMAP server (test servers only).</summary>
    [Parameter(ParameterSetName = ImapSet)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>The limit on one IMAP operation, in seconds.</summary>
    [Parameter(ParameterSetName = ImapSet)]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>Write one object per failure-details entry instead of one per policy.</summary>
    [Parameter]
    public SwitchParameter FailureDetail { get; set; }

    /// <summary>Write, at the end, one summary per policy domain, receiving MX host and result type over every report read.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (FailureDetail && Summary)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give -FailureDetail or -Summary, not both: the summary is over the failure details."),
                ErrorIds.GetTlsRptReportInvalidParameter, ErrorCategory.InvalidArgument, null));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ImapSet)
        {
            ReadMailbox();
            return;
        }

        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in literal ? LiteralPath : Path)
        {
            foreach (var file in ResolveFiles(path, literal, PathErrors))
            {
                if (TryReadFile(file, f => TlsRptReader.ReadFile(f, _limits), PathErrors, ErrorIds.GetTlsRptReportNotAReport, out var items))
                {
                    Write(items!);
                }
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Summary)
        {
            foreach (var summary in TlsRptSummary.Summarize(_failures))
            {
                WriteObject(summary);
            }
        }
    }

    private void ReadMailbox()
    {
        var bound = MyInvocation.BoundParameters;
        var mode = bound.ContainsKey(nameof(TlsMode)) ? TlsMode : ImapPort == 143 ? MailboxTlsMode.StartTls : MailboxTlsMode.ImplicitTls;
        var options = new TlsRptImapOptions
        {
            Host = ImapServer,
            Port = ImapPort == 0 ? null : ImapPort,
            TlsMode = mode,
            Credential = Credential.GetNetworkCredential(),
            Folder = Folder,
            Since = Since is { } since ? new DateTimeOffset(since.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(since, DateTimeKind.Local) : since) : null,
            SkipCertificateCheck = SkipCertificateCheck,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
        };
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, "imap://{0}@{1}:{2}/{3}", Credential.UserName, ImapServer, options.EffectivePort, Folder);
        options.MarkAsRead = MarkAsRead && ShouldProcess(target, "Mark the report mails read as read (\\Seen)");
        IReadOnlyList<TlsRptItem> items;
        try
        {
            items = Mailbox.Run(() => TlsRptImapReader.ReadAsync(options, _limits, Reporter, CancelToken), CancelToken);
        }
        catch (TlsRptMailboxException ex)
        {
            Mailbox.RunPosted();
            var (id, category) = ex.Failure switch
            {
                TlsRptMailboxFailure.Authentication => (ErrorIds.GetTlsRptReportLoginFailed, ErrorCategory.AuthenticationError),
                TlsRptMailboxFailure.FolderNotFound => (ErrorIds.GetTlsRptReportFolderNotFound, ErrorCategory.ObjectNotFound),
                _ => (ErrorIds.GetTlsRptReportMailboxUnavailable, ErrorCategory.ConnectionError),
            };
            WriteError(ex, id, category, target);
            return;
        }

        Mailbox.RunPosted();
        Write(items);
    }

    private void Write(IEnumerable<TlsRptItem> items)
    {
        foreach (var item in items)
        {
            if (item.Error is { } error)
            {
                var (id, category) = error.Problem switch
                {
                    TlsRptProblem.InvalidJson => (ErrorIds.GetTlsRptReportInvalidJson, ErrorCategory.ParserError),
                    TlsRptProblem.InvalidGzip => (ErrorIds.GetTlsRptReportInvalidGzip, ErrorCategory.InvalidData),
                    TlsRptProblem.TooLarge => (ErrorIds.GetTlsRptReportTooLarge, ErrorCategory.LimitsExceeded),
                    TlsRptProblem.TooManyEntries => (ErrorIds.GetTlsRptReportTooManyEntries, ErrorCategory.LimitsExceeded),
                    TlsRptProblem.NoReportInMessage => (ErrorIds.GetTlsRptReportNoReportInMessage, ErrorCategory.InvalidType),
                    TlsRptProblem.UnsupportedFormat => (ErrorIds.GetTlsRptReportUnsupportedFormat, ErrorCategory.NotImplemented),
                    _ => (ErrorIds.GetTlsRptReportNotAReport, ErrorCategory.InvalidData),
                };
                WriteError(error, id, category, item.Source);
                continue;
            }

            foreach (var policy in item.Report!.Policies)
            {
                if (Summary)
                {
                    _failures.AddRange(policy.FailureDetails);
                }
                else if (FailureDetail)
                {
                    foreach (var failure in policy.FailureDetails)
                    {
                        WriteObject(failure);
                    }
                }
                else
                {
                    WriteObject(policy);
                }
            }
        }
    }
}
