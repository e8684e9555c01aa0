using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Dns;
using DanePS.Engine.Dnssec;
using Microsoft.PowerShell.Commands;

namespace DanePS;

/// <summary>
/// Every cmdlet that looks anything up in DNS: one set of resolver parameters (-Server, -DnsTimeoutSec,
/// -DnsRetries, -DnsTcpOnly, -DnssecValidation, -TrustAnchorPath), one DNS reader per run, and the resolver
/// assessment, which runs once per run alongside the first lookups and is reported once.
/// </summary>
public abstract class DnsLookupCmdlet : DanePSCmdlet
{
    private ResolverSetup? _resolver;

    /// <summary>Resolvers to ask (IP or IP:port); the system's by default. Use a validating resolver on loopback.</summary>
    [Parameter]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>How long one DNS query attempt waits for an answer, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 60)]
    public int DnsTimeoutSec { get; set; } = 3;

    /// <summary>How many times a DNS query is sent again after a timeout.</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int DnsRetries { get; set; } = 2;

    /// <summary>Send every DNS query over TCP (by default UDP, with TCP when an answer is truncated).</summary>
    [Parameter]
    public SwitchParameter DnsTcpOnly { get; set; }

    /// <summary>
    /// Who validates DNSSEC: Auto (the default) believes the AD bit of a validating resolver on loopback and validates
    /// locally otherwise; Local always validates from the trust anchors; Resolver believes a validating resolver's AD bit.
    /// </summary>
    [Parameter]
    public DnssecValidationMode DnssecValidation { get; set; } = DnssecValidationMode.Auto;

    /// <summary>
    /// A file of DS or DNSKEY records in presentation format (unbound's trust-anchor-file, <c>dig . DNSKEY</c> output)
    /// to validate from instead of the built-in IANA root anchors.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string? TrustAnchorPath { get; set; }

    /// <summary>The ErrorId for a -Server value that is not an address (InvalidArgument, terminating).</summary>
    protected abstract string InvalidServerErrorId { get; }

    /// <summary>The ErrorId for a resolver that answered no query at all (ResourceUnavailable).</summary>
    protected abstract string ResolverNotAnsweringErrorId { get; }

    /// <summary>The DNS reader for this run (made by <see cref="StartDns"/>).</summary>
    protected DaneDnsReader? Dns => _resolver?.Reader;

    /// <summary>
    /// Makes the run's DNS reader from the parameters (a bad -Server value ends the command: nothing can be asked)
    /// and starts the resolver assessment without waiting for it.
    /// </summary>
    protected DaneDnsReader StartDns(Action<DnsResolverOptions>? configure = null)
    {
        var options = new DnsResolverOptions
        {
            Timeout = TimeSpan.FromSeconds(DnsTimeoutSec),
            Retries = DnsRetries,
            UseTcpOnly = DnsTcpOnly,
            Validation = DnssecValidation,
        };
        foreach (var anchor in ReadTrustAnchors())
        {
            options.TrustAnchors.Add(anchor);
        }

        configure?.Invoke(options);
        ResolverSetup.AddServers(this, options, Server, InvalidServerErrorId);
        _resolver = new ResolverSetup(new DaneDnsReader(options, Reporter), ResolverNotAnsweringErrorId);
        _resolver.Start(CancelToken);
        return _resolver.Reader;
    }

    /// <summary>
    /// Writes, once per run, what the resolver assessment found: a resolver that did not answer (an error), or one
    /// that does not validate or is reached over the network (warnings, once per pipeline). Without <paramref name="wait"/>, only when
    /// the assessment has already finished.
    /// </summary>
    protected void WriteResolverAssessment(bool wait) => _resolver?.Write(this, wait, CancelToken);

    /// <summary>The cmdlet's ErrorIds for a -TrustAnchorPath that is missing, unreadable, or holds no usable anchor.</summary>
    private (string NotFound, string Unreadable, string Invalid) TrustAnchorErrorIds => InvalidServerErrorId switch
    {
        ErrorIds.GetTlsaRecordInvalidServer => (ErrorIds.GetTlsaRecordTrustAnchorNotFound, ErrorIds.GetTlsaRecordTrustAnchorUnreadable, ErrorIds.GetTlsaRecordInvalidTrustAnchor),
        ErrorIds.TestDaneEndpointInvalidServer => (ErrorIds.TestDaneEndpointTrustAnchorNotFound, ErrorIds.TestDaneEndpointTrustAnchorUnreadable, ErrorIds.TestDaneEndpointInvalidTrustAnchor),
        ErrorIds.TestDaneMailDomainInvalidServer => (ErrorIds.TestDaneMailDomainTrustAnchorNotFound, ErrorIds.TestDaneMailDomainTrustAnchorUnreadable, ErrorIds.TestDaneMailDomainInvalidTrustAnchor),
        ErrorIds.GetServerSpkiHashInvalidServer => (ErrorIds.GetServerSpkiHashTrustAnchorNotFound, ErrorIds.GetServerSpkiHashTrustAnchorUnreadable, ErrorIds.GetServerSpkiHashInvalidTrustAnchor),
        ErrorIds.InvokeTlsaRolloverInvalidServer => (ErrorIds.InvokeTlsaRolloverTrustAnchorNotFound, ErrorIds.InvokeTlsaRolloverTrustAnchorUnreadable, ErrorIds.InvokeTlsaRolloverInvalidTrustAnchor),
        _ => throw new InvalidOperationException($"No trust-anchor ErrorIds for {GetType().Name}."),
    };

    /// <summary>
    /// The anchors of -TrustAnchorPath (none without it), read per PowerShell path rules relative to the current
    /// location. A file that is missing, unreadable or holds no usable DS or DNSKEY record ends the command: nothing
    /// could be validated from it.
    /// </summary>
    private IReadOnlyList<string> ReadTrustAnchors()
    {
        if (TrustAnchorPath is null)
        {
            return Array.Empty<string>();
        }

        var ids = TrustAnchorErrorIds;
        var path = TrustAnchorPath;
        string file;
        try
        {
            var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.ImplementingType != typeof(FileSystemProvider) || resolved.Count != 1 || !File.Exists(resolved[0]))
            {
                var what = provider.ImplementingType != typeof(FileSystemProvider) ? $"a {provider.Name} path"
                    : resolved.Count != 1 ? $"{resolved.Count} files" : "not a file";
                throw new FileNotFoundException($"-TrustAnchorPath '{path}' is {what}: give one file of DS or DNSKEY records.", path);
            }

            file = resolved[0];
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException
            or FileNotFoundException or PSArgumentException or ArgumentException or NotSupportedException or PSNotSupportedException)
        {
            var error = ex as FileNotFoundException ?? new FileNotFoundException($"Cannot read the trust anchors: {ex.Message}", path, ex);
            ThrowTerminatingError(new ErrorRecord(error, ids.NotFound, ErrorCategory.ObjectNotFound, path));
            return Array.Empty<string>();
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"'{file}' cannot be read: {ex.Message}", ex), ids.Unreadable,
                ex is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError, file));
            return Array.Empty<string>();
        }

        try
        {
            return TrustAnchorFile.Parse(text);
        }
        catch (InvalidDataException ex)
        {
            ThrowTerminatingError(new ErrorRecord(new InvalidDataException($"'{file}' holds no usable trust anchor: {ex.Message}", ex), ids.Invalid, ErrorCategory.InvalidData, file));
            return Array.Empty<string>();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _resolver?.Reader.Dispose();
        }

        base.Dispose(disposing);
    }
}
