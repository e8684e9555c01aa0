using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine.Certificates;
using DanePS.Engine.Dns;
using DanePS.Engine.Tls;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Shows each certificate of a chain with its SPKI and certificate hashes and the TLSA record it would take.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ServerSpkiHash", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CertificateDetails))]
public sealed class GetServerSpkiHashCommand : DnsLookupCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string CertificateSet = "Certificate";
    private const string ServerSet = "Server";

    private static readonly PathErrorIds PathErrors = new(ErrorIds.GetServerSpkiHashFileNotFound, ErrorIds.GetServerSpkiHashNotAFile, ErrorIds.GetServerSpkiHashFileUnreadable);

    /// <summary>Certificate files, PEM or DER; a PEM bundle gives every certificate with its depth. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Certificate files, taken exactly as written (no wildcards); Get-ChildItem output binds here by PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Certificate objects.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipeline = true)]
    [CertificateTransformation]
    public X509Certificate2[] Certificate { get; set; } = Array.Empty<X509Certificate2>();

    /// <summary>A live server: its name (also sent as SNI).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServerSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ComputerName")]
    public string HostName { get; set; } = string.Empty;

    /// <summary>The server's port; 25 by default.</summary>
    [Parameter(ParameterSetName = ServerSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>How to start TLS; by default chosen from the port (25/587 SMTP, 143 IMAP, 110 POP3, else implicit).</summary>
    [Parameter(ParameterSetName = ServerSet, ValueFromPipelineByPropertyName = true)]
    [StartTlsTransformation]
    public StartTlsProtocol StartTls { get; set; } = StartTlsProtocol.Auto;

    /// <summary>Connect to this address instead of resolving the host name (through -Server).</summary>
    [Parameter(ParameterSetName = ServerSet, ValueFromPipelineByPropertyName = true)]
    public IPAddress? Address { get; set; }

    /// <summary>Ask the server for its RSA or its ECDSA certificate.</summary>
    [Parameter(ParameterSetName = ServerSet, ValueFromPipelineByPropertyName = true)]
    public TlsKeyType KeyType { get; set; } = TlsKeyType.Any;

    /// <summary>Deadline for the whole connection in seconds.</summary>
    [Parameter(ParameterSetName = ServerSet)]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 30;

    /// <inheritdoc />
    protected override string InvalidServerErrorId => ErrorIds.GetServerSpkiHashInvalidServer;

    /// <inheritdoc />
    protected override string ResolverNotAnsweringErrorId => ErrorIds.GetServerSpkiHashResolverNotAnswering;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (ParameterSetName == ServerSet)
        {
            StartDns();
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => WriteResolverAssessment(wait: true);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case CertificateSet:
                foreach (var certificate in Certificate)
                {
                    WriteObject(CertificateDetails.FromCertificate(certificate, 0, certificate.Subject));
                }

                break;
            case ServerSet:
                ProcessServer();
                break;
            default:
                var literal = ParameterSetName == LiteralPathSet;
                foreach (var path in literal ? LiteralPath : Path)
                {
                    foreach (var file in ResolveFiles(path, literal, PathErrors))
                    {
                        ProcessFile(file);
                    }
                }

                break;
        }
    }

    private void ProcessFile(string file)
    {
        if (!TryReadFile(file, CertificateReader.ReadCertificates, PathErrors, ErrorIds.GetServerSpkiHashInvalidCertificate, out var chain))
        {
            return;
        }

        foreach (var details in CertificateDetails.FromChain(chain!, file))
        {
            WriteObject(details);
        }
    }

    private void ProcessServer()
    {
        // An address is fine here (nothing DANE is looked up for it; no SNI is sent); anything else must be a host name.
        if (!Engine.Names.HostName.TryParse(HostName, out var name, out var invalid) && invalid!.Problem != Engine.Names.HostNameProblem.IPAddress)
        {
            WriteError(invalid, ErrorIds.GetServerSpkiHashInvalidHostName, ErrorCategory.InvalidArgument, HostName);
            return;
        }

        var serverName = name?.Ascii ?? HostName.Trim().Trim('[', ']');
        var options = TlsProbeOptions.WithinDeadline(TimeSpan.FromSeconds(TimeoutSec)).WithKeyType(KeyType);
        var target = $"{HostName}:{Port}";
        if (ResolveAddresses(serverName) is not { } addresses)
        {
            return;
        }

        // Every address at once; the results are written in address order.
        // The probe tells each stage (connect, STARTTLS, handshake) to the verbose stream as it ends.
        var probes = addresses.Select(a => (Address: a, Probe: TlsProbe.ProbeAsync(serverName, a, Port, StartTls, options, Reporter, CancelToken))).ToList();
        foreach (var (address, probe) in probes)
        {
            var where = $"{target} ({address})";
            TlsProbeResult result;
            try
            {
                result = Mailbox.Wait(probe, CancelToken);
            }
            catch (TlsProbeException ex)
            {
                WriteError(TlsProbeErrors.ToErrorRecord(ex, where));
                continue;
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                return;
            }

            if (result.HandshakeError is not null)
            {
                WriteWarningLine($"{where}: the handshake did not complete after the certificates arrived: {result.HandshakeError}.");
            }

            foreach (var details in CertificateDetails.FromChain(result.PresentedChain, where))
            {
                WriteObject(details);
            }
        }
    }

    /// <summary>-Address, an IP literal as the host name, or the host's A and AAAA records through the run's resolver.</summary>
    private IReadOnlyList<IPAddress>? ResolveAddresses(string serverName)
    {
        var target = $"{HostName}:{Port}";
        if (Address is not null)
        {
            return new[] { Address };
        }

        if (IPAddress.TryParse(serverName, out var literal))
        {
            return new[] { literal };
        }

        HostAddresses lookup;
        try
        {
            lookup = Mailbox.Wait(Dns!.GetAddressesAsync(serverName, CancelToken), CancelToken);
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            return null;
        }

        WriteResolverAssessment(wait: false);
        if (lookup.Addresses.Count == 0)
        {
            var category = lookup.Failure is { } failure and not DnsFailure.NoSuchDomain ? DnsLookupErrors.Category(failure) : ErrorCategory.ObjectNotFound;
            WriteError(new DnsLookupException(lookup.FailureMessage ?? $"{HostName} has no address."),
                ErrorIds.GetServerSpkiHashNameResolution, category, target);
            return null;
        }

        WriteVerboseLine($"{HostName} has {lookup.Addresses.Count} address(es): {string.Join(", ", lookup.Addresses)}.");
        return lookup.Addresses.Select(a => IPAddress.Parse(a.Address)).ToList();
    }
}
