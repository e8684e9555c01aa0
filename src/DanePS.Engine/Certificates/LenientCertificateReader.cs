using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace DanePS.Engine.Certificates;

/// <summary>
/// Reads a certificate BouncyCastle's strict parser refuses but mainstream TLS stacks (OpenSSL, SChannel) accept:
/// an empty issuer name, an extension that appears twice, an unknown version number. Its real names, key and
/// bytes are kept; a sanitized copy (placeholder issuer, first of each duplicated extension) stands in for
/// BouncyCastle, so its extensions can still be read.
/// </summary>
internal static class LenientCertificateReader
{
    /// <summary>Stands in for an empty issuer name in the sanitized copy; it is never shown.</summary>
    private static readonly X509Name EmptyIssuerPlaceholder = new("CN=DanePS placeholder for an empty issuer name");

    public delegate ParsedCertificate Factory(BcCertificate sanitized, X509Name subject, X509Name issuer, byte[] spkiDer, string problem);

    /// <exception cref="CertificateFormatException">Not even the certificate's outline can be read.</exception>
    public static ParsedCertificate Read(byte[] der, Exception strictError, Factory create)
    {
        var why = strictError.InnerException?.Message ?? strictError.Message;
        try
        {
            var certificate = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            var tbs = Asn1Sequence.GetInstance(certificate[0]);
            var fields = tbs.Cast<Asn1Encodable>().ToList();
            var problems = new List<string>();

            var at = 0;
            Asn1Encodable version = new DerTaggedObject(true, 0, DerInteger.ValueOf(0));
            var isV1 = true;
            if (fields[0] is Asn1TaggedObject { TagNo: 0 } tagged)
            {
                var number = DerInteger.GetInstance(tagged.GetExplicitBaseObject()).IntValueExact;
                isV1 = number == 0;
                version = number is >= 0 and <= 2 ? fields[0] : new DerTaggedObject(true, 0, DerInteger.ValueOf(2));
                if (number is < 0 or > 2)
                {
                    problems.Add($"its version number ({number + 1}) is not 1, 2 or 3");
                }

                at = 1;
            }

            var subject = X509Name.GetInstance(fields[at + 4]);
            var issuer = X509Name.GetInstance(fields[at + 2]);
            var spki = SubjectPublicKeyInfo.GetInstance(fields[at + 5]);
            var sanitizedIssuer = issuer.GetOidList().Count == 0 ? EmptyIssuerPlaceholder : issuer;
            if (ReferenceEquals(sanitizedIssuer, EmptyIssuerPlaceholder))
            {
                problems.Add("its issuer name is empty");
            }

            var rebuilt = new List<Asn1Encodable>();
            if (!isV1 || at == 1)
            {
                rebuilt.Add(version);
            }

            rebuilt.AddRange(new[] { fields[at], fields[at + 1], sanitizedIssuer, fields[at + 3], fields[at + 4], fields[at + 5] });
            var extensionsOnly = new List<Asn1Encodable>(rebuilt);
            foreach (var optional in fields.Skip(at + 6))
            {
                if (optional is Asn1TaggedObject { TagNo: 3 } extensionsField)
                {
                    rebuilt.Add(new DerTaggedObject(true, 3, Deduplicate(Asn1Sequence.GetInstance(extensionsField, true), problems)));
                }
                else
                {
                    rebuilt.Add(optional);
                }
            }

            BcCertificate sanitized;
            try
            {
                sanitized = Build(rebuilt, certificate);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or InvalidOperationException or System.IO.IOException or Org.BouncyCastle.Security.Certificates.CertificateException)
            {
                // Extensions BouncyCastle cannot read at all: keep the names and key, read no extension.
                problems.Add($"its extensions cannot be read ({ex.Message})");
                sanitized = Build(extensionsOnly, certificate);
            }

            var problem = problems.Count > 0 ? string.Join("; ", problems) : why;
            return create(sanitized, subject, issuer, spki.GetDerEncoded(), problem);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or InvalidOperationException or System.IO.IOException or IndexOutOfRangeException or ArgumentOutOfRangeException or Org.BouncyCastle.Security.Certificates.CertificateException or OverflowException)
        {
            throw new CertificateFormatException($"The data is not an X.509 certificate: {why}", strictError);
        }
    }

    private static BcCertificate Build(List<Asn1Encodable> tbsFields, Asn1Sequence certificate) =>
        new(X509CertificateStructure.GetInstance(new DerSequence(new DerSequence(tbsFields.ToArray()), certificate[1], certificate[2])));

    private static DerSequence Deduplicate(Asn1Sequence extensions, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<Asn1Encodable>();
        foreach (var extension in extensions)
        {
            var oid = DerObjectIdentifier.GetInstance(Asn1Sequence.GetInstance(extension)[0]).Id;
            if (seen.Add(oid))
            {
                kept.Add(extension);
            }
            else
            {
                problems.Add($"it carries extension {oid} more than once (RFC 5280 §4.2)");
            }
        }

        return new DerSequence(kept.ToArray());
    }
}
