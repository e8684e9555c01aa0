using System;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Checks a mail domain as a sending MTA would: every MX host, every address and key type, one summary per domain.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DaneMailDomain")]
[OutputType(typeof(DaneMailDomainResult))]
[OutputType(typeof(bool))]
public sealed class TestDaneMailDomainCommand : DaneCheckCmdlet
{
    /// <summary>The mail domains (the part after @).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Domain", "Name")]
    public string[] MailDomain { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override string InvalidServerErrorId => ErrorIds.TestDaneMailDomainInvalidServer;

    /// <inheritdoc />
    protected override string ResolverNotAnsweringErrorId => ErrorIds.TestDaneMailDomainResolverNotAnswering;

    /// <inheritdoc />
    protected override string InvalidNameErrorId => ErrorIds.TestDaneMailDomainInvalidDomain;

    /// <inheritdoc />
    protected override string CheckFailedErrorId => ErrorIds.TestDaneMailDomainCheckFailed;

    /// <inheritdoc />
    protected override string Activity => "Checking DANE mail domains";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var text in MailDomain)
        {
            if (TryParseTarget(text, out var domain))
            {
                Enqueue(domain!.Ascii, ct => Checker!.CheckMailDomainAsync(domain.Ascii, ct));
            }
        }
    }

    /// <inheritdoc />
    protected override void WriteResult(object target, object result)
    {
        var domain = (DaneMailDomainResult)result;

        // The domain's Findings hold every endpoint's too, each naming the host it is about.
        WriteFindings(domain.Findings, domain.MailDomain);

        WriteObject(Quiet ? domain.Verdict == DaneVerdict.Pass : domain);
    }

    /// <inheritdoc />
    protected override void WriteFailure(object target, Exception exception)
    {
        if (exception is DnsLookupException)
        {
            WriteError(exception, ErrorIds.TestDaneMailDomainNoSuchDomain, ErrorCategory.ObjectNotFound, target);
            if (Quiet)
            {
                WriteObject(false);
            }

            return;
        }

        base.WriteFailure(target, exception);
    }
}
