using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine.Certificates;
using DanePS.Engine.Matching;
using DanePS.Engine.Tlsa;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Decides offline whether TLSA records authenticate a certificate chain, as a DANE client would.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "TlsaRecord", DefaultParameterSetName = PathSet)]
[OutputType(typeof(DaneMatchResult))]
public sealed class TestTlsaRecordCommand : DanePSCmdlet
{
    private const string PathSet = "Path";
    private const string CertificateSet = "Certificate";

    private readonly List<TlsaRecord> _records = new();
    private readonly List<X509Certificate2> _chain = new();
    private bool _chainFailed;

    /// <summary>The chain as the server would send it: a PEM bundle, leaf first.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [Alias("ChainPath")]
    public string Path { get; set; } = string.Empty;

    /// <summary>The chain as certificate objects, leaf first (Get-ServerSpkiHash output binds here by property name).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipelineByPropertyName = true)]
    public X509Certificate2[] Certificate { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>The TLSA RRset: record objects, text such as "3 1 1 5E79…", or Get-TlsaRecord output (its records).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [TlsaRecordTransformation]
    public TlsaRecord[] TlsaRecord { get; set; } = Array.Empty<TlsaRecord>();

    /// <summary>Reference names for DANE-TA and PKIX usages (the MX host name, the TLSA base domain).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[] HostName { get; set; } = Array.Empty<string>();

    /// <summary>Smtp (RFC 7672: PKIX usages unusable) or Generic (RFC 7671). Smtp by default.</summary>
    [Parameter]
    public DaneProfile Profile { get; set; } = DaneProfile.Smtp;

    /// <summary>Extra trusted roots for PKIX usages (an internal CA), as objects.</summary>
    [Parameter]
    public X509Certificate2[] TrustedRoot { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>Extra trusted roots for PKIX usages, as a PEM file.</summary>
    [Parameter]
    public string? TrustedRootPath { get; set; }

    /// <summary>Trust only -TrustedRoot/-TrustedRootPath for PKIX usages, not the system store.</summary>
    [Parameter]
    public SwitchParameter NoSystemTrustStore { get; set; }

    /// <summary>Check validity periods at this time instead of now (e.g. the day after a planned renewal).</summary>
    [Parameter]
    public DateTime? ValidationTime { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (ParameterSetName == PathSet)
        {
            _chainFailed = !TryRead(Path, ErrorIds.TestTlsaRecordFileNotFound, _chain);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // The RRset is judged as a whole: gather records (and certificates) from the pipeline first.
        // A parameter value is bound again for every piped certificate, and an RRset holds no duplicate
        // records (RFC 2181 §5), so a record already gathered is not added twice.
        _records.AddRange(TlsaRecord.Where(r => !_records.Contains(r)));
        if (ParameterSetName == CertificateSet)
        {
            _chain.AddRange(Certificate.Where(c => !_chain.Any(x => x.RawData.SequenceEqual(c.RawData))));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_chainFailed)
        {
            return;
        }

        if (_chain.Count == 0)
        {
            WriteError(new ArgumentException("No certificate to test: the chain is empty."), ErrorIds.TestTlsaRecordNoChain, ErrorCategory.InvalidArgument, null);
            return;
        }

        if (_records.Count == 0)
        {
            WriteError(new ArgumentException("No TLSA record to test against."), ErrorIds.TestTlsaRecordNoRecords, ErrorCategory.InvalidArgument, null);
            return;
        }

        var roots = new List<X509Certificate2>(TrustedRoot);
        if (TrustedRootPath is not null && !TryRead(TrustedRootPath, ErrorIds.TestTlsaRecordFileNotFound, roots))
        {
            return;
        }

        WriteObject(DaneMatcher.Match(new DaneMatchRequest
        {
            PresentedChain = _chain,
            Records = _records,
            ReferenceNames = HostName,
            Profile = Profile,
            PkixRoots = roots,
            UseSystemTrustStore = !NoSystemTrustStore,
            ValidationTime = ValidationTime is { } t ? new DateTimeOffset(t.ToUniversalTime()) : null,
        }));
    }

    private bool TryRead(string path, string notFoundId, List<X509Certificate2> into)
    {
        if (ResolveFilePath(path, notFoundId) is not { } resolved)
        {
            return false;
        }

        try
        {
            into.AddRange(CertificateReader.ReadCertificates(resolved));
            return true;
        }
        catch (CertificateFormatException ex)
        {
            WriteError(ex, ErrorIds.TestTlsaRecordInvalidCertificate, ErrorCategory.InvalidData, path);
            return false;
        }
    }
}
