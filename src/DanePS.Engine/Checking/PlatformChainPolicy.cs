using System;
using System.Security.Cryptography.X509Certificates;

namespace DanePS.Engine.Checking;

/// <summary>
/// The platform-trust side check builds its chain from what the server sent and the local trust store only: it
/// never fetches a missing issuer (AIA), a CRL or an OCSP response, so it never waits on the network and never
/// tells a third party which server was checked. A chain that needs a download is reported as untrusted, with the
/// platform's reason, as a client that does not fetch would see it.
/// </summary>
internal static class PlatformChainPolicy
{
    // X509ChainPolicy.DisableCertificateDownloads exists from .NET Core 3.0 on, not in netstandard2.0 (and not in
    // .NET Framework, where Windows PowerShell 5.1 runs): set it where the runtime has it.
    private static readonly System.Reflection.PropertyInfo? DisableDownloads =
        typeof(X509ChainPolicy).GetProperty("DisableCertificateDownloads", typeof(bool));

    /// <summary>How long a runtime without DisableCertificateDownloads may spend on a URL (a bound, not a wait).</summary>
    private static readonly TimeSpan UrlRetrievalBound = TimeSpan.FromMilliseconds(1);

    public static void Offline(X509ChainPolicy policy)
    {
        policy.RevocationMode = X509RevocationMode.NoCheck;
        if (DisableDownloads is not null)
        {
            DisableDownloads.SetValue(policy, true);
        }
        else
        {
            policy.UrlRetrievalTimeout = UrlRetrievalBound;
        }
    }
}
