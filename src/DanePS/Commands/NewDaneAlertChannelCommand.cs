using System;
using System.Management.Automation;
using System.Security;
using DanePS.Engine.Alerts;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Creates a reusable alert channel (e-mail, Telegram, Slack, Teams, webhook) for Send-DaneAlert.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "DaneAlertChannel", DefaultParameterSetName = EmailSet)]
[OutputType(typeof(EmailAlertChannel), typeof(TelegramAlertChannel), typeof(SlackAlertChannel), typeof(TeamsAlertChannel), typeof(WebhookAlertChannel))]
public sealed class NewDaneAlertChannelCommand : DanePSCmdlet
{
    private const string EmailSet = "Email";
    private const string TelegramSet = "Telegram";
    private const string SlackSet = "Slack";
    private const string TeamsSet = "Teams";
    private const string WebhookSet = "Webhook";

    /// <summary>An e-mail channel (SMTP submission through MailKit).</summary>
    [Parameter(Mandatory = true, ParameterSetName = EmailSet)]
    public SwitchParameter Email { get; set; }

    /// <summary>A Telegram bot channel.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TelegramSet)]
    public SwitchParameter Telegram { get; set; }

    /// <summary>A Slack incoming webhook.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SlackSet)]
    public SwitchParameter Slack { get; set; }

    /// <summary>A Microsoft Teams workflow webhook.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TeamsSet)]
    public SwitchParameter Teams { get; set; }

    /// <summary>A generic JSON webhook.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WebhookSet)]
    public SwitchParameter Webhook { get; set; }

    /// <summary>The channel's name; keys the state file, so unique among the channels of one Send-DaneAlert.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Failure (default): failures only. Warning: warnings too.</summary>
    [Parameter]
    [ValidateSet(nameof(AlertSeverity.Warning), nameof(AlertSeverity.Failure))]
    public AlertSeverity MinimumSeverity { get; set; } = AlertSeverity.Failure;

    /// <summary>The limit on one attempt, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>Attempts per message, the first included.</summary>
    [Parameter]
    [ValidateRange(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The longest all attempts and waits for one message may take, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int RetryBudgetSec { get; set; } = 60;

    /// <summary>The SMTP submission server.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EmailSet)]
    [ValidateNotNullOrEmpty]
    public string SmtpServer { get; set; } = string.Empty;

    /// <summary>The submission port: 587 for STARTTLS and 465 for implicit TLS by default.</summary>
    [Parameter(ParameterSetName = EmailSet)]
    [ValidateRange(1, 65535)]
    public int SmtpPort { get; set; }

    /// <summary>StartTls (default; required, never skipped) or ImplicitTls (the default when -SmtpPort is 465).</summary>
    [Parameter(ParameterSetName = EmailSet)]
    public SmtpTlsMode TlsMode { get; set; }

    /// <summary>The sender address.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EmailSet)]
    [ValidateNotNullOrEmpty]
    public string From { get; set; } = string.Empty;

    /// <summary>The recipients.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EmailSet)]
    [ValidateNotNullOrEmpty]
    public string[] To { get; set; } = Array.Empty<string>();

    /// <summary>The SMTP login, if the server wants one.</summary>
    [Parameter(ParameterSetName = EmailSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Accepts any certificate from the SMTP server: for test servers only.</summary>
    [Parameter(ParameterSetName = EmailSet)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>The bot token from BotFather.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TelegramSet)]
    public SecureString? BotToken { get; set; }

    /// <summary>The chat to write to (a number, or @channelname).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TelegramSet)]
    [ValidateNotNullOrEmpty]
    public string ChatId { get; set; } = string.Empty;

    /// <summary>The Bot API server (default https://api.telegram.org/): a self-hosted one, a proxy, a test.</summary>
    [Parameter(ParameterSetName = TelegramSet)]
    public Uri? BaseAddress { get; set; }

    /// <summary>The webhook URL, which carries its secret.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SlackSet)]
    [Parameter(Mandatory = true, ParameterSetName = TeamsSet)]
    [Parameter(Mandatory = true, ParameterSetName = WebhookSet)]
    public SecureString? WebhookUrl { get; set; }

    /// <summary>A bearer token the webhook wants in an Authorization header.</summary>
    [Parameter(ParameterSetName = WebhookSet)]
    public SecureString? BearerToken { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        AlertChannel channel;
        try
        {
            channel = ParameterSetName switch
            {
                TelegramSet => new TelegramAlertChannel(Name ?? "Telegram " + ChatId, MinimumSeverity, BotToken!, ChatId, BaseAddress),
                SlackSet => new SlackAlertChannel(Name ?? "Slack", MinimumSeverity, WebhookUrl!),
                TeamsSet => new TeamsAlertChannel(Name ?? "Teams", MinimumSeverity, WebhookUrl!),
                WebhookSet => new WebhookAlertChannel(Name ?? "Webhook", MinimumSeverity, WebhookUrl!, BearerToken),
                _ => NewEmail(),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // The message never holds a secret: the channels name the parameter, not its value.
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(ex.Message, ex), ErrorIds.NewDaneAlertChannelInvalidParameter, ErrorCategory.InvalidArgument, ParameterSetName));
            return;
        }

        channel.Retry.AttemptTimeoutMs = TimeoutSec * 1000;
        channel.Retry.MaxAttempts = MaxAttempts;
        channel.Retry.BudgetMs = RetryBudgetSec * 1000;
        WriteObject(channel);
    }

    private EmailAlertChannel NewEmail()
    {
        var bound = MyInvocation.BoundParameters;
        var mode = bound.ContainsKey(nameof(TlsMode)) ? TlsMode : SmtpPort == 465 ? SmtpTlsMode.ImplicitTls : SmtpTlsMode.StartTls;
        var port = SmtpPort != 0 ? SmtpPort : mode == SmtpTlsMode.ImplicitTls ? 465 : 587;
        return new EmailAlertChannel(
            Name ?? "Email " + string.Join(",", To),
            MinimumSeverity,
            SmtpServer,
            port,
            mode,
            From,
            To,
            Credential?.UserName,
            Credential?.Password,
            SkipCertificateCheck.IsPresent);
    }
}
