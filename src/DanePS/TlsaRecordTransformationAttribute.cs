using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Tlsa;

namespace DanePS;

/// <summary>
/// Lets a TlsaRecord parameter take presentation strings ("3 1 1 5E79 1D0C…") as well as record objects,
/// so records copied from dig or a zone file work as they are, and Get-TlsaRecord's record sets.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TlsaRecordTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (input is DanePS.Engine.Dns.TlsaRecordSet set)
        {
            return set.Records.ToArray<TlsaRecord>(); // Get-TlsaRecord output: the RRset it read
        }

        if (input is string || input is TlsaRecord || input is DanePS.Engine.Matching.TlsaRecordEvaluation)
        {
            return Convert(input);
        }

        if (input is IEnumerable items)
        {
            var records = new List<TlsaRecord>();
            foreach (var item in items)
            {
                records.Add(Convert(item is PSObject p ? p.BaseObject : item));
            }

            return records.ToArray();
        }

        return Convert(input);
    }

    private static TlsaRecord Convert(object? item) => item switch
    {
        TlsaRecord record => record,
        DanePS.Engine.Matching.TlsaRecordEvaluation evaluation => evaluation.GetRecord(), // a result's Records
        string text => TlsaRecord.TryParse(text, out var record, out var error)
            ? record!
            : throw new ArgumentTransformationMetadataException(error),
        null => throw new ArgumentTransformationMetadataException("A TLSA record cannot be null."),
        _ => throw new ArgumentTransformationMetadataException($"A {item.GetType().Name} is not a TLSA record; give a record object or text such as '3 1 1 <hex>'."),
    };
}
