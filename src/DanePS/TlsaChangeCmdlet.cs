using System;
using System.Management.Automation;
using DanePS.Engine.Providers;
using DanePS.Engine.Tlsa;

namespace DanePS;

/// <summary>
/// Publish-TlsaRecord and Unpublish-TlsaRecord: records from the pipeline (New-TlsaRecord, Get-TlsaRecord,
/// ConvertTo-TlsaRecord, or text), each placed at its own owner name or at -HostName/-Port, changed through one
/// provider, one record at a time, each change (or "already so") written as it is made.
/// </summary>
public abstract class TlsaChangeCmdlet : DanePSCmdlet
{
    /// <summary>The records: objects from New-TlsaRecord, Get-TlsaRecord or ConvertTo-TlsaRecord, or text such as '3 1 1 &lt;hex&gt;'.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [TlsaRecordTransformation]
    public TlsaRecord[] Record { get; set; } = Array.Empty<TlsaRecord>();

    /// <summary>Where to publish (from New-TlsaRecord -HostName or New-TlsaProvider).</summary>
    [Parameter(Mandatory = true)]
    public TlsaProvider Provider { get; set; } = null!;

    /// <summary>The host the records are for; by default the records' own owner name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? HostName { get; set; }

    /// <summary>The service port; with -HostName, 25 by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>The transport label of the owner name: tcp (default), udp or sctp.</summary>
    [Parameter]
    [ValidateSet("tcp", "udp", "sctp")]
    public string Protocol { get; set; } = "tcp";

    /// <summary>ErrorId of a record with no owner name.</summary>
    protected abstract string NoOwnerErrorId { get; }

    /// <summary>ErrorId of a provider failure.</summary>
    protected abstract string FailedErrorId { get; }

    /// <summary>ErrorId of a bad -HostName.</summary>
    protected abstract string InvalidHostNameErrorId { get; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var record in Record)
        {
            var owner = OwnerOf(record);
            if (owner is null)
            {
                continue;
            }

            var target = $"{owner} TLSA {record}";
            if (!Confirm(owner, record))
            {
                continue;
            }

            Provider.Reporter = Reporter;
            try
            {
                var change = Mailbox.Run(() => ChangeAsync(owner, record), CancelToken);
                if (!change.Changed)
                {
                    WriteVerbose(change.Outcome == TlsaChangeOutcome.AlreadyPresent
                        ? $"{owner} TLSA {record.ToShortString()} is already published: nothing changed."
                        : $"{owner} TLSA {record.ToShortString()} is already absent: nothing changed.");
                }

                WriteObject(change);
            }
            catch (TlsaProviderException ex)
            {
                WriteError(ex, FailedErrorId, ProviderErrors.CategoryOf(ex.Failure), target);
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                Provider.Reporter = null;
            }
        }
    }

    /// <summary>Asks ShouldProcess for one record.</summary>
    protected abstract bool Confirm(string ownerName, TlsaRecord record);

    /// <summary>Makes the change through the provider.</summary>
    protected abstract System.Threading.Tasks.Task<TlsaChange> ChangeAsync(string ownerName, TlsaRecord record);

    private string? OwnerOf(TlsaRecord record)
    {
        if (!string.IsNullOrWhiteSpace(HostName))
        {
            if (!Engine.Names.HostName.TryParse(HostName!, out var host, out var problem))
            {
                WriteError(new ArgumentException($"'{HostName}' is not a host name: {problem!.Message}", problem), InvalidHostNameErrorId, ErrorCategory.InvalidArgument, HostName);
                return null;
            }

            return TlsaProvider.NormalizeOwner(DnsTlsaRecord.OwnerNameFor(host!.Ascii, Port, Protocol));
        }

        if (record is DnsTlsaRecord named)
        {
            return TlsaProvider.NormalizeOwner(named.OwnerName);
        }

        WriteError(new ArgumentException($"The record {record.ToShortString()} has no owner name: give -HostName and -Port, or make it with New-TlsaRecord -HostName."),
            NoOwnerErrorId, ErrorCategory.InvalidArgument, record);
        return null;
    }
}
