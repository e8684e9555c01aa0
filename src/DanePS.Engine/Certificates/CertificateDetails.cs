using System;
using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Tlsa;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Certificates;

/// <summary>
/// One certificate of a chain with the hashes DANE operators publish, and the TLSA record it would take:
/// "3 1 1 …" for the leaf, "2 1 1 …" for an issuer.
/// </summary>
public sealed class CertificateDetails
{
    private CertificateDetails(ParsedCertificate parsed, int depth, string? source)
    {
        Depth = depth;
        Source = source;
        Parsed = parsed;
        Subject = parsed.Subject;
        Issuer = parsed.Issuer;
        NotBefore = new DateTimeOffset(DateTime.SpecifyKind(parsed.NotBeforeUtc, DateTimeKind.Utc));
        NotAfter = new DateTimeOffset(DateTime.SpecifyKind(parsed.NotAfterUtc, DateTimeKind.Utc));
        PublicKey = parsed.KeyDescription;
        DnsNames = string.Join(", ", Matching.ReferenceNameMatcher.PresentedNames(parsed));
        SpkiSha256 = Hex.Encode(parsed.Digest(TlsaSelector.Spki, TlsaMatchingType.Sha256));
        SpkiSha512 = Hex.Encode(parsed.Digest(TlsaSelector.Spki, TlsaMatchingType.Sha512));
        CertificateSha256 = Hex.Encode(parsed.Digest(TlsaSelector.Cert, TlsaMatchingType.Sha256));
        SuggestedTlsaRecord = new TlsaRecord(depth == 0 ? TlsaUsage.DaneEe : TlsaUsage.DaneTa, TlsaSelector.Spki, TlsaMatchingType.Sha256,
            parsed.Digest(TlsaSelector.Spki, TlsaMatchingType.Sha256));
        SuggestedRecord = SuggestedTlsaRecord.ToString();
    }

    /// <summary>Position in the chain as given (leaf = 0).</summary>
    public int Depth { get; }

    /// <summary>Subject distinguished name.</summary>
    public string Subject { get; }

    /// <summary>Issuer distinguished name.</summary>
    public string Issuer { get; }

    /// <summary>Start of validity (UTC).</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of validity (UTC).</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>Key type and size, e.g. "RSA 2048", "EC P-256".</summary>
    public string PublicKey { get; }

    /// <summary>
    /// The names the certificate presents (SAN dNSNames, or the CN when there are none), joined by ", " so that the
    /// object stays flat for JSON and CSV; <see cref="GetDnsNames"/> gives them as a list.
    /// </summary>
    public string DnsNames { get; }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo: the data of a "x 1 1" record.</summary>
    public string SpkiSha256 { get; }

    /// <summary>SHA-512 of the SubjectPublicKeyInfo: the data of a "x 1 2" record.</summary>
    public string SpkiSha512 { get; }

    /// <summary>SHA-256 of the whole certificate: the data of a "x 0 1" record.</summary>
    public string CertificateSha256 { get; }

    /// <summary>
    /// The record to publish for this certificate, as text: DANE-EE SPKI SHA2-256 ("3 1 1 …") for the leaf, DANE-TA
    /// SPKI SHA2-256 ("2 1 1 …") for issuers.
    /// </summary>
    public string SuggestedRecord { get; }

    /// <summary>Where the certificate came from (file path, host:port), if known.</summary>
    public string? Source { get; }

    /// <summary>Days until <see cref="NotAfter"/> from now (negative when expired).</summary>
    public double DaysUntilExpiry => Math.Round((NotAfter - DateTimeOffset.UtcNow).TotalDays, 1);

    internal ParsedCertificate Parsed { get; }

    internal TlsaRecord SuggestedTlsaRecord { get; }

    /// <summary>
    /// The certificate itself. A method, not a property, so that ConvertTo-Json and Export-Csv write the details above
    /// rather than the whole certificate; Test-TlsaRecord takes these objects as its chain directly.
    /// </summary>
    public X509Certificate2 GetCertificate() => Parsed.ToX509Certificate2();

    /// <summary>The names the certificate presents, as a list.</summary>
    public IReadOnlyList<string> GetDnsNames() => Matching.ReferenceNameMatcher.PresentedNames(Parsed);

    /// <inheritdoc />
    public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} ({1}, depth {2}, until {3:yyyy-MM-dd})", Subject, PublicKey, Depth, NotAfter);

    /// <summary>Describes each certificate of a chain, depth by position.</summary>
    public static IReadOnlyList<CertificateDetails> FromChain(IEnumerable<X509Certificate2> chain, string? source) =>
        FromParsedChain((chain ?? throw new ArgumentNullException(nameof(chain))).Select(ParsedCertificate.From).ToList(), source);

    internal static IReadOnlyList<CertificateDetails> FromParsedChain(IReadOnlyList<ParsedCertificate> chain, string? source) =>
        chain.Select((c, i) => new CertificateDetails(c, i, source)).ToList();

    /// <summary>Describes one certificate at the given depth.</summary>
    public static CertificateDetails FromCertificate(X509Certificate2 certificate, int depth, string? source) =>
        new(ParsedCertificate.From(certificate ?? throw new ArgumentNullException(nameof(certificate))), depth, source);
}
