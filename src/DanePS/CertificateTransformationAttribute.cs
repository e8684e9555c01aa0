using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine.Certificates;

namespace DanePS;

/// <summary>
/// Lets a certificate parameter take Get-ServerSpkiHash output (CertificateDetails, which keeps its certificate
/// behind GetCertificate() so that JSON and CSV stay lean) as well as X509Certificate2 objects.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class CertificateTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (input is CertificateDetails details)
        {
            return details.GetCertificate();
        }

        if (input is IEnumerable items and not string)
        {
            var certificates = new List<object?>();
            foreach (var item in items)
            {
                var value = item is PSObject p ? p.BaseObject : item;
                certificates.Add(value is CertificateDetails d ? d.GetCertificate() : value);
            }

            return certificates.ToArray();
        }

        return inputData;
    }
}
