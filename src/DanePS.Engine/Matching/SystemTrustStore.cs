using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine.Certificates;

namespace DanePS.Engine.Matching;

/// <summary>The platform's trusted roots (Windows root store, or /etc/ssl/certs via .NET on Linux), read once.</summary>
internal static class SystemTrustStore
{
    private static readonly Lazy<List<ParsedCertificate>> Roots = new(Load);

    public static IReadOnlyList<ParsedCertificate> Get() => Roots.Value;

    private static List<ParsedCertificate> Load()
    {
        var roots = new List<ParsedCertificate>();
        foreach (var location in new[] { StoreLocation.LocalMachine, StoreLocation.CurrentUser })
        {
            try
            {
                using var store = new X509Store(StoreName.Root, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                foreach (var certificate in store.Certificates)
                {
                    try
                    {
                        roots.Add(ParsedCertificate.From(certificate));
                    }
                    catch (CertificateFormatException)
                    {
                        // A root the parser cannot read cannot anchor a chain either.
                    }
                }
            }
            catch (CryptographicException)
            {
                // No such store on this platform.
            }
        }

        return roots;
    }
}
