using System;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Dns;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Reads TLSA records from DNS as a DANE client does, with their DNSSEC status.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "TlsaRecord", DefaultParameterSetName = HostSet)]
[OutputType(typeof(TlsaRecordSet))]
public sealed class GetTlsaRecordCommand : DnsLookupCmdlet
{
    private const string HostSet = "Host";
    private const string MailDomainSet = "MailDomain";

    /// <summary>The host name (the TLSA base domain before CNAME expansion).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = HostSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ComputerName", "Name")]
    public string[] HostName { get; set; } = Array.Empty<string>();

    /// <summary>The service port; 25 by default.</summary>
    [Parameter(Position = 1, ParameterSetName = HostSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>The transport label; tcp by default.</summary>
    [Parameter(ParameterSetName = HostSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("tcp", "udp", "sctp")]
    public string Protocol { get; set; } = "tcp";

    /// <summary>A mail domain: its MX hosts (or the domain itself without MX) and their TLSA records at port 25.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MailDomainSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Domain")]
    public string[] MailDomain { get; set; } = Array.Empty<string>();

    /// <summary>Also ask every authoritative server of the zone directly and report where they disagree.</summary>
    [Parameter]
    public SwitchParameter Authoritative { get; set; }

    /// <summary>Warn when the signatures over a TLSA RRset expire within this many days.</summary>
    [Parameter]
    [ValidateRange(0, 365)]
    public int SignatureWarningDays { get; set; } = 7;

    /// <inheritdoc />
    protected override string InvalidServerErrorId => ErrorIds.GetTlsaRecordInvalidServer;

    /// <inheritdoc />
    protected override string ResolverNotAnsweringErrorId => ErrorIds.GetTlsaRecordResolverNotAnswering;

    /// <inheritdoc />
    protected override void BeginProcessing() =>
        StartDns(options => options.SignatureExpiryWarning = TimeSpan.FromDays(SignatureWarningDays));

    /// <inheritdoc />
    protected override void EndProcessing() => WriteResolverAssessment(wait: true);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == MailDomainSet)
            {
                foreach (var text in MailDomain)
                {
                    if (!Engine.Names.HostName.TryParse(text, out var domain, out var invalid))
                    {
                        WriteError(invalid!, ErrorIds.GetTlsaRecordInvalidDomain, ErrorCategory.InvalidArgument, text);
                        continue;
                    }

                    var lookup = Mailbox.Wait(Dns!.GetMailDomainAsync(domain!.Ascii, Authoritative, CancelToken), CancelToken);
                    WriteResolverAssessment(wait: false);
                    if (lookup.Failure is { } failure)
                    {
                        WriteError(new DnsLookupException(lookup.FailureMessage!), ErrorIds.GetTlsaRecordFailure(failure), DnsLookupErrors.Category(failure), lookup);
                        continue;
                    }

                    foreach (var set in lookup.Hosts)
                    {
                        Emit(set);
                    }
                }
            }
            else
            {
                foreach (var text in HostName)
                {
                    if (!Engine.Names.HostName.TryParse(text, out var host, out var invalid))
                    {
                        WriteError(invalid!, ErrorIds.GetTlsaRecordInvalidHostName, ErrorCategory.InvalidArgument, text);
                        continue;
                    }

                    var set = Mailbox.Wait(Dns!.GetTlsaAsync(host!.Ascii, Port, Protocol, Authoritative, CancelToken), CancelToken);
                    WriteResolverAssessment(wait: false);
                    Emit(set);
                }
            }
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            // Ctrl+C: stop quietly.
        }
    }

    private void Emit(TlsaRecordSet set)
    {
        // Once per pipeline: Test-DaneEndpoint, when this set is piped to it, does not say them again.
        foreach (var warning in set.Warnings)
        {
            WriteWarningOncePerPipeline(DaneCheckCmdlet.MessageKey(warning), $"{set.OwnerName}: {warning}");
        }

        if (set.Outcome == TlsaLookupOutcome.Failed)
        {
            // The set is the error's target: its status and any unvalidated data stay inspectable.
            WriteError(new DnsLookupException(set.FailureMessage!), ErrorIds.GetTlsaRecordFailure(set.Failure!.Value), DnsLookupErrors.Category(set.Failure.Value), set);
            return;
        }

        if (set.Outcome == TlsaLookupOutcome.NotPublished)
        {
            WriteVerboseLine($"{set.OwnerName}: no TLSA records ({set.Denial}, {set.DnssecStatus}).");
        }

        WriteObject(set);
    }
}
