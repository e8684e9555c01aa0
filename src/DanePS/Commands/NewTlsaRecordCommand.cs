using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine.Certificates;
using DanePS.Engine.Tlsa;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Builds the TLSA record for a certificate or a public key.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "TlsaRecord", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TlsaRecord), typeof(DnsTlsaRecord))]
public sealed class NewTlsaRecordCommand : DanePSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string PublicKeySet = "PublicKeyPath";
    private const string CertificateSet = "Certificate";

    private static readonly PathErrorIds PathErrors = new(ErrorIds.NewTlsaRecordFileNotFound, ErrorIds.NewTlsaRecordNotAFile, ErrorIds.NewTlsaRecordFileUnreadable);

    /// <summary>Certificate files, PEM (a bundle too: see -Depth) or DER; wildcards are expanded, one record per file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("CertificatePath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Certificate files, taken exactly as written (no wildcards); Get-ChildItem output binds here by PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Which certificate of a bundle file to use (0 = first).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateRange(0, 32)]
    public int Depth { get; set; }

    /// <summary>Public keys (PEM "PUBLIC KEY" or DER SPKI) or unencrypted private keys: the next key, before its certificate exists. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PublicKeySet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[] PublicKeyPath { get; set; } = Array.Empty<string>();

    /// <summary>A certificate object.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CertificateSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [CertificateTransformation]
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Certificate usage (RFC 7218 mnemonic, number or enum name); DANE-EE(3) by default.</summary>
    [Parameter]
    [TlsaFieldTransformation(typeof(TlsaUsage))]
    [ValidateSet("PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE", "PrivCert", "PkixTa", "PkixEe", "DaneTa", "DaneEe")] // Tab completion: see TlsaFieldTransformationAttribute
    public TlsaUsage Usage { get; set; } = TlsaUsage.DaneEe;

    /// <summary>Selector (RFC 7218 mnemonic, number or enum name); SPKI(1) by default.</summary>
    [Parameter]
    [TlsaFieldTransformation(typeof(TlsaSelector))]
    [ValidateSet("Cert", "SPKI", "PrivSel")]
    public TlsaSelector Selector { get; set; } = TlsaSelector.Spki;

    /// <summary>Matching type (RFC 7218 mnemonic, number or enum name); SHA2-256(1) by default.</summary>
    [Parameter]
    [TlsaFieldTransformation(typeof(TlsaMatchingType))]
    [ValidateSet("Full", "SHA2-256", "SHA2-512", "PrivMatch", "Sha256", "Sha512")]
    public TlsaMatchingType MatchingType { get; set; } = TlsaMatchingType.Sha256;

    /// <summary>Host name: the record then carries its owner name ("_25._tcp.HOST.") and zone-file line.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? HostName { get; set; }

    /// <summary>Service port for the owner name; 25 by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Transport for the owner name; tcp by default.</summary>
    [Parameter]
    [ValidateSet("tcp", "udp", "sctp")]
    public string Protocol { get; set; } = "tcp";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // The owner name is checked first: no record at all rather than a zone-file line that cannot load.
        Engine.Names.HostName? owner = null;
        if (HostName is not null && !Engine.Names.HostName.TryParse(HostName, out owner, out var invalid))
        {
            WriteError(invalid!, ErrorIds.NewTlsaRecordInvalidHostName, ErrorCategory.InvalidArgument, HostName);
            return;
        }

        switch (ParameterSetName)
        {
            case CertificateSet:
                Emit(() => TlsaRecordFactory.FromCertificate(Certificate!, Usage, Selector, MatchingType), null, owner);
                break;
            case PublicKeySet:
                if (Selector != TlsaSelector.Spki)
                {
                    WriteError(new ArgumentException("A public key gives only SPKI(1) records; a full-certificate record needs the certificate."),
                        ErrorIds.NewTlsaRecordSelectorNeedsCertificate, ErrorCategory.InvalidArgument, Selector);
                    return;
                }

                foreach (var file in PublicKeyPath.SelectMany(p => ResolveFiles(p, literal: false, PathErrors)))
                {
                    if (TryReadFile(file, CertificateReader.ReadSubjectPublicKeyInfo, PathErrors, ErrorIds.NewTlsaRecordInvalidKey, out var spki))
                    {
                        Emit(() => TlsaRecordFactory.FromSubjectPublicKeyInfo(spki!, Usage, MatchingType), file, owner);
                    }
                }

                break;
            default:
                var literal = ParameterSetName == LiteralPathSet;
                foreach (var file in (literal ? LiteralPath : Path).SelectMany(p => ResolveFiles(p, literal, PathErrors)))
                {
                    if (TryReadFile(file, CertificateReader.ReadCertificates, PathErrors, ErrorIds.NewTlsaRecordInvalidCertificate, out var certificates))
                    {
                        FromBundle(file, certificates!, owner);
                    }
                }

                break;
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2208", Justification = "The value at fault is the cmdlet's -Depth parameter.")]
    private void FromBundle(string file, IReadOnlyList<X509Certificate2> certificates, Engine.Names.HostName? owner)
    {
        if (Depth >= certificates.Count)
        {
            WriteError(new ArgumentOutOfRangeException(nameof(Depth), Depth, $"'{file}' holds {certificates.Count} certificate(s); -Depth {Depth} is past the end."),
                ErrorIds.NewTlsaRecordDepthOutOfRange, ErrorCategory.InvalidArgument, file);
            return;
        }

        Emit(() => TlsaRecordFactory.FromCertificate(certificates[Depth], Usage, Selector, MatchingType), file, owner);
    }

    private void Emit(Func<TlsaRecord> build, string? file, Engine.Names.HostName? owner)
    {
        TlsaRecord record;
        try
        {
            record = build();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            WriteError(ex, ErrorIds.NewTlsaRecordInvalidParameter, ErrorCategory.InvalidArgument, ex.ActualValue);
            return;
        }
        catch (CertificateFormatException ex)
        {
            WriteError(ex, ErrorIds.NewTlsaRecordInvalidCertificate, ErrorCategory.InvalidData, (object?)file ?? Certificate);
            return;
        }

        WriteObject(owner is null ? record : new DnsTlsaRecord(record, owner.Ascii, Port, Protocol));
    }
}
