using System;
using System.Collections.Generic;
using DanePS.Engine.Tlsa;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Matching;

/// <summary>What the matcher is asked.</summary>
public sealed class DaneMatchRequest
{
    /// <summary>The certificates exactly as the server sent them, leaf first.</summary>
    public IReadOnlyList<X509Certificate2> PresentedChain { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>The TLSA RRset.</summary>
    public IReadOnlyList<TlsaRecord> Records { get; set; } = Array.Empty<TlsaRecord>();

    /// <summary>Names the leaf must carry under DANE-TA and PKIX usages (TLSA base domain, MX host name, …).</summary>
    public IReadOnlyList<string> ReferenceNames { get; set; } = Array.Empty<string>();

    /// <summary>SMTP or generic rules.</summary>
    public DaneProfile Profile { get; set; } = DaneProfile.Generic;

    /// <summary>Roots for PKIX usages besides (or instead of) the system store.</summary>
    public IReadOnlyList<X509Certificate2> PkixRoots { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>Whether the system trust store counts for PKIX usages.</summary>
    public bool UseSystemTrustStore { get; set; } = true;

    /// <summary>The time at which validity periods are checked; now when null.</summary>
    public DateTimeOffset? ValidationTime { get; set; }
}
