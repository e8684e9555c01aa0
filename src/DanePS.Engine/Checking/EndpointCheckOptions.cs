using System;
using System.Collections.Generic;
using DanePS.Engine.Matching;
using DanePS.Engine.Tls;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Checking;

/// <summary>Limits and choices for endpoint checks.</summary>
public sealed class EndpointCheckOptions
{
    /// <summary>Connection limits for each probe.</summary>
    public TlsProbeOptions Probe { get; set; } = new();

    /// <summary>How TLS is started (by port by default).</summary>
    public StartTlsProtocol StartTls { get; set; } = StartTlsProtocol.Auto;

    /// <summary>SMTP or generic rules; by default SMTP for port 25, generic otherwise.</summary>
    public DaneProfile? Profile { get; set; }

    /// <summary>Probe RSA and ECDSA separately so each certificate a server holds is seen.</summary>
    public bool ProbeEachKeyType { get; set; } = true;

    /// <summary>Warn when more records than this are published ("1 to 2 records").</summary>
    public int MaxRecords { get; set; } = 2;

    /// <summary>Warn when the leaf or the matched trust anchor expires within this many days.</summary>
    public int ExpiryWarningDays { get; set; } = 21;

    /// <summary>Roots for PKIX usages.</summary>
    public IReadOnlyList<X509Certificate2> PkixRoots { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>Whether the system store counts for PKIX usages.</summary>
    public bool UseSystemTrustStore { get; set; } = true;

    /// <summary>How TLS is started on <paramref name="port"/>: as asked, or by the port.</summary>
    internal StartTlsProtocol StartTlsFor(int port) => StartTls == StartTlsProtocol.Auto ? TlsProbeOptions.ForPort(port) : StartTls;

    /// <summary>Which rules apply on <paramref name="port"/>: as asked, or SMTP's for port 25 and generic ones elsewhere.</summary>
    internal DaneProfile ProfileFor(int port) => Profile ?? DaneProfileRules.ForPort(port);
}
