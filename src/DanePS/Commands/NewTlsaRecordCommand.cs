using System;
using System.IO;
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
    private const string PublicKeySet = "PublicKeyPath";
    private const string CertificateSet = "Certificate";

    /// <summary>A certificate file, PEM (a bundle too: see -Depth) or DER.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "CertificatePath")]
    public string Path { get; set; } = string.Empty;

    /// <summary>Which certificate of a bundle file to use (0 = first).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [ValidateRange(0, 32)]
    public int Depth { get; set; }

    /// <summary>A public key (PEM "PUBLIC KEY" or DER SPKI) or an unencrypted private key: the next key, before its certificate exists.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PublicKeySet, ValueFromPipelineByPropertyName = true)]
    public string PublicKeyPath { get; set; } = string.Empty;

    /// <summary>A certificate object.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CertificateSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Certificate usage; DANE-EE(3) by default.</summary>
    [Parameter]
    public TlsaUsage Usage { get; set; } = TlsaUsage.DaneEe;

    /// <summary>Selector; SPKI(1) by default.</summary>
    [Parameter]
    public TlsaSelector Selector { get; set; } = TlsaSelector.Spki;

    /// <summary>Matching type; SHA2-256(1) by default.</summary>
    [Parameter]
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
        TlsaRecord? record;
        try
        {
            record = ParameterSetName switch
            {
                PublicKeySet => FromPublicKey(),
                CertificateSet => TlsaRecordFactory.FromCertificate(Certificate!, Usage, Selector, MatchingType),
                _ => FromCertificateFile(),
            };
        }
        catch (ArgumentOutOfRangeException ex)
        {
            WriteError(ex, ErrorIds.NewTlsaRecordInvalidParameter, ErrorCategory.InvalidArgument, ex.ActualValue);
            return;
        }
        catch (CertificateFormatException ex)
        {
            var key = ParameterSetName == PublicKeySet;
            WriteError(ex, key ? ErrorIds.NewTlsaRecordInvalidKey : ErrorIds.NewTlsaRecordInvalidCertificate, ErrorCategory.InvalidData, key ? PublicKeyPath : Path);
            return;
        }

        if (record is null)
        {
            return; // the error for this item is written
        }

        WriteObject(HostName is null ? record : new DnsTlsaRecord(record, HostName, Port, Protocol));
    }

    private TlsaRecord? FromCertificateFile()
    {
        if (ResolveFilePath(Path, ErrorIds.NewTlsaRecordFileNotFound) is not { } path)
        {
            return null;
        }

        var certificates = CertificateReader.ReadCertificates(path);
        if (Depth >= certificates.Count)
        {
            WriteError(new ArgumentOutOfRangeException(nameof(Depth), Depth, $"'{path}' holds {certificates.Count} certificate(s); -Depth {Depth} is past the end."),
                ErrorIds.NewTlsaRecordDepthOutOfRange, ErrorCategory.InvalidArgument, Path);
            return null;
        }

        return TlsaRecordFactory.FromCertificate(certificates[Depth], Usage, Selector, MatchingType);
    }

    private TlsaRecord? FromPublicKey()
    {
        if (Selector != TlsaSelector.Spki)
        {
            WriteError(new ArgumentException("A public key gives only SPKI(1) records; a full-certificate record needs the certificate."),
                ErrorIds.NewTlsaRecordSelectorNeedsCertificate, ErrorCategory.InvalidArgument, Selector);
            return null;
        }

        if (ResolveFilePath(PublicKeyPath, ErrorIds.NewTlsaRecordFileNotFound) is not { } path)
        {
            return null;
        }

        return TlsaRecordFactory.FromSubjectPublicKeyInfo(CertificateReader.ReadSubjectPublicKeyInfo(path), Usage, MatchingType);
    }
}
