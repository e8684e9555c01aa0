using System;
using System.Management.Automation;
using DanePS.Engine.Tlsa;

namespace DanePS;

/// <summary>
/// Lets a usage, selector or matching-type parameter take the RFC 7218 mnemonics ("DANE-EE", "SPKI", "SHA2-256",
/// in any case) as well as numbers and the enum names, so values copied from a record or an RFC bind as they are.
/// Values with no assigned meaning are refused at binding, with the accepted ones listed.
/// </summary>
/// <remarks>
/// Tab completion: PowerShell completes an enum parameter with the enum's names and never asks an
/// [ArgumentCompleter] (CompletionCompleters.ProcessParameter handles enums first); only a [ValidateSet] comes
/// before that. So these parameters carry a ValidateSet of the mnemonics plus the enum names: it offers
/// "DANE-EE" on Tab, and passes every value this transformation returns (validation sees the enum's name).
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TlsaFieldTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>Creates the transformation for one TLSA field enum.</summary>
    public TlsaFieldTransformationAttribute(Type field) => Field = field;

    /// <summary>TlsaUsage, TlsaSelector or TlsaMatchingType.</summary>
    public Type Field { get; }

    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (input is not null && input.GetType() == Field)
        {
            return input;
        }

        var text = input switch
        {
            string s => s,
            byte or sbyte or short or ushort or int or uint or long or ulong => Convert.ToString(input, System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
        if (TlsaMnemonic.TryParse(Field, text, out var value) && Enum.IsDefined(Field, value))
        {
            return Enum.ToObject(Field, value);
        }

        throw new ArgumentTransformationMetadataException(
            $"'{input}' is not a TLSA {TlsaMnemonic.FieldName(Field)}: use one of {TlsaMnemonic.Describe(Field)} (RFC 7218 mnemonics or numbers).");
    }
}
