using System;
using System.Management.Automation;
using DanePS.Engine.Tlsa;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Parses TLSA records from presentation text, as dig or a zone file prints them.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "TlsaRecord")]
[OutputType(typeof(TlsaRecord))]
public sealed class ConvertToTlsaRecordCommand : DanePSCmdlet
{
    /// <summary>Record text: "3 1 1 5E79…", "DANE-EE SPKI SHA2-256 …", or a zone-file line.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string[] InputObject { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var text in InputObject)
        {
            if (TlsaRecord.TryParse(text, out var record, out var error))
            {
                WriteObject(record);
            }
            else
            {
                WriteError(new FormatException(error), ErrorIds.ConvertToTlsaRecordInvalidFormat, ErrorCategory.InvalidData, text);
            }
        }
    }
}
