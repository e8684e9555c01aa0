using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Checks live TLS servers as a DANE client would: every address, every key type, with a verdict.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DaneEndpoint", DefaultParameterSetName = RecordSetSet)]
[OutputType(typeof(DaneEndpointResult))]
[OutputType(typeof(bool))]
public sealed class TestDaneEndpointCommand : DaneCheckCmdlet
{
    private const string HostSet = "Host";
    private const string RecordSetSet = "RecordSet";

    /// <summary>The host name (SNI and the TLSA base domain before CNAME expansion).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = HostSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ComputerName", "Name")]
    public string[] HostName { get; set; } = Array.Empty<string>();

    /// <summary>The port; 25 by default.</summary>
    [Parameter(Position = 1, ParameterSetName = HostSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>A TLSA lookup from Get-TlsaRecord: its records and addresses are used as they are.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RecordSetSet, ValueFromPipeline = true)]
    public TlsaRecordSet? InputObject { get; set; }

    /// <inheritdoc />
    protected override string InvalidServerErrorId => ErrorIds.TestDaneEndpointInvalidServer;

    /// <inheritdoc />
    protected override string ResolverNotAnsweringErrorId => ErrorIds.TestDaneEndpointResolverNotAnswering;

    /// <inheritdoc />
    protected override string InvalidNameErrorId => ErrorIds.TestDaneEndpointInvalidHostName;

    /// <inheritdoc />
    protected override string CheckFailedErrorId => ErrorIds.TestDaneEndpointCheckFailed;

    /// <inheritdoc />
    protected override string Activity => "Checking DANE endpoints";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == RecordSetSet)
        {
            var set = InputObject!;
            Enqueue($"{set.HostName}:{set.Port}", ct => Checker!.CheckAsync(set, ct));
        }
        else
        {
            var port = Port;
            foreach (var text in HostName)
            {
                if (TryParseTarget(text, out var host))
                {
                    Enqueue($"{host}:{port}", ct => Checker!.CheckHostAsync(host!.Ascii, port, ct));
                }
            }
        }
    }

    /// <inheritdoc />
    protected override void WriteResult(object target, object result)
    {
        var results = (IReadOnlyList<DaneEndpointResult>)result;

        // A host that does not exist is an error, like a mail domain that does not exist; the result is its target.
        if (results.FirstOrDefault(r => r.Verdict == DaneVerdict.NoSuchHost) is { } missing)
        {
            WriteError(new DnsLookupException(missing.Summary), ErrorIds.TestDaneEndpointNoSuchDomain, ErrorCategory.ObjectNotFound, missing);
            if (Quiet)
            {
                WriteObject(false);
            }

            return;
        }

        WriteFindings(results.SelectMany(r => r.Findings), target.ToString()!);

        if (Quiet)
        {
            WriteObject(results.Count > 0 && results.All(r => r.Verdict == DaneVerdict.Pass));
            return;
        }

        foreach (var r in results)
        {
            WriteObject(r);
        }
    }
}
