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
    private const string LiteralPathSet = "LiteralPath";
    private const string CertificateSet = "Certificate";

    private static readonly PathErrorIds PathErrors = new(ErrorIds.TestTlsaRecordFileNotFound, ErrorIds.TestTlsaRecordNotAFile, ErrorIds.TestTlsaRecordFileUnreadable);

    private readonly List<TlsaRecord> _records = new();
    private readonly List<X509Certificate2> _chain = new();
    private readonly List<(string File, IReadOnlyList<X509Certificate2> Chain)> _fileChains = new();
    private readonly List<string> _referenceNames = new();
    private readonly HashSet<string> _namesSeen = new(StringComparer.Ordinal);
    private bool _chainFailed;
    private bool _badName;

    /// <summary>The chain as the server would send it: a PEM bundle, leaf first. Wildcards are expanded: one verdict per file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [Alias("ChainPath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Chain files taken exactly as written (no wildcards): one verdict per file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The chain as certificate objects, leaf first, or Get-ServerSpkiHash output (piped, or given as the value).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipeline = true)]
    [CertificateTransformation]
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

    /// <summary>Extra trusted roots for PKIX usages, as PEM files (wildcards are expanded).</summary>
    [Parameter]
    [SupportsWildcards]
    public string? TrustedRootPath { get; set; }

    /// <summary>Trust only -TrustedRoot/-TrustedRootPath for PKIX usages, not the system store.</summary>
    [Parameter]
    public SwitchParameter NoSystemTrustStore { get; set; }

    /// <summary>Check validity periods at this time instead of now (e.g. the day after a planned renewal).</summary>
    [Parameter]
    public DateTimeOffset? ValidationTime { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (ParameterSetName == CertificateSet)
        {
            return;
        }

        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in (literal ? LiteralPath : Path).SelectMany(p => ResolveFiles(p, literal, PathErrors)))
        {
            if (TryReadFile(file, CertificateReader.ReadCertificates, PathErrors, ErrorIds.TestTlsaRecordInvalidCertificate, out var chain))
            {
                _fileChains.Add((file, chain!));
            }
        }

        _chainFailed = _fileChains.Count == 0; // each path's error is written
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

        foreach (var text in HostName.Where(_namesSeen.Add))
        {
            if (Engine.Names.HostName.TryParse(text, out var name, out var invalid))
            {
                if (!_referenceNames.Contains(name!.Ascii))
                {
                    _referenceNames.Add(name.Ascii); // certificates carry A-labels
                }
            }
            else
            {
                _badName = true; // the names are part of the question: no verdict without all of them
                WriteError(invalid!, ErrorIds.TestTlsaRecordInvalidHostName, ErrorCategory.InvalidArgument, text);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_chainFailed || _badName)
        {
            return;
        }

        if (ParameterSetName == CertificateSet && _chain.Count == 0)
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
        if (TrustedRootPath is not null)
        {
            var rootFiles = ResolveFiles(TrustedRootPath, literal: false, PathErrors);
            foreach (var file in rootFiles)
            {
                if (!TryReadFile(file, CertificateReader.ReadCertificates, PathErrors, ErrorIds.TestTlsaRecordInvalidCertificate, out var certificates))
                {
                    return;
                }

                roots.AddRange(certificates!);
            }

            if (rootFiles.Count == 0)
            {
                return;
            }
        }

        if (ParameterSetName == CertificateSet)
        {
            WriteObject(Match(_chain, roots));
            return;
        }

        foreach (var (file, chain) in _fileChains)
        {
            // The file each verdict is about, for a wildcard that matched several.
            var result = PSObject.AsPSObject(Match(chain, roots));
            result.Properties.Add(new PSNoteProperty("Path", file));
            WriteObject(result);
        }
    }

    private DaneMatchResult Match(IReadOnlyList<X509Certificate2> chain, List<X509Certificate2> roots) =>
        DaneMatcher.Match(new DaneMatchRequest
        {
            PresentedChain = chain,
            Records = _records,
            ReferenceNames = _referenceNames,
            Profile = Profile,
            PkixRoots = roots,
            UseSystemTrustStore = !NoSystemTrustStore,
            ValidationTime = ValidationTime,
        });
}
