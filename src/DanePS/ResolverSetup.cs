using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;

namespace DanePS;

/// <summary>
/// The resolver of one run: the -Server values, and the resolver assessment, started at once and reported once
/// (an error when the resolver did not answer, warnings when it does not validate or is reached over the network).
/// </summary>
internal sealed class ResolverSetup
{
    private readonly string _notAnsweringErrorId;
    private Task<ResolverAssessment>? _assessment;
    private bool _written;

    public ResolverSetup(DaneDnsReader reader, string notAnsweringErrorId)
    {
        Reader = reader;
        _notAnsweringErrorId = notAnsweringErrorId;
    }

    public DaneDnsReader Reader { get; }

    /// <summary>Parses -Server values into <paramref name="options"/>; a bad one ends the command (nothing can be asked).</summary>
    public static void AddServers(PSCmdlet cmdlet, DnsResolverOptions options, string[] servers, string invalidServerErrorId)
    {
        foreach (var server in servers)
        {
            try
            {
                options.Servers.Add(DnsResolverOptions.ParseServer(server));
            }
            catch (FormatException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, invalidServerErrorId, ErrorCategory.InvalidArgument, server));
            }
        }
    }

    /// <summary>Starts the assessment; it runs alongside the first lookups.</summary>
    public void Start(CancellationToken ct) => _assessment = Reader.AssessResolverAsync(ct);

    /// <summary>Reports the assessment once: now if it has finished, or (with <paramref name="wait"/>) when it does.</summary>
    public void Write(DanePSCmdlet cmdlet, bool wait, CancellationToken ct)
    {
        if (_written || _assessment is null || (!wait && !_assessment.IsCompleted) || ct.IsCancellationRequested)
        {
            return;
        }

        ResolverAssessment assessment;
        try
        {
            assessment = _assessment.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return; // Ctrl+C
        }

        _written = true;
        var servers = string.Join(", ", assessment.Servers.Select(s => s.ToString()));
        if (!assessment.Answered)
        {
            var message = string.Format(CultureInfo.InvariantCulture,
                "The resolver ({0}) did not answer: no reply to any query within {1:0.#} s and {2} retries. Nothing could be looked up; check -Server, and that the resolver runs and answers this machine.",
                servers, Reader.QueryTimeout.TotalSeconds, Reader.QueryRetries);
            cmdlet.WriteError(new ErrorRecord(new DnsLookupException(message), _notAnsweringErrorId, ErrorCategory.ResourceUnavailable, servers));
            return;
        }

        cmdlet.WriteVerboseLine($"Resolver {servers}: answers; {(assessment.Validates ? "validates DNSSEC (AD on a known-signed name)" : "does not validate DNSSEC")}.");
        DnssecValidationMode validation;
        try
        {
            validation = Reader.GetValidationAsync(ct).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return; // Ctrl+C
        }

        if (validation == DnssecValidationMode.Local)
        {
            // The resolver only carries records: DanePS checks every signature from the trust anchors itself, so
            // whether the resolver validates, and how far away it is, changes nothing about what is Secure.
            cmdlet.WriteVerboseLine("DNSSEC: DanePS validates the answers itself, from the trust anchors (-DnssecValidation Local, or Auto with a resolver that does not validate or is not on this machine); the resolver's AD bit is not used.");
            return;
        }

        // Warnings about the resolver once per pipeline: the commands of a pipeline usually share it.
        if (NotValidatingWarning(assessment, validation) is { } notValidating)
        {
            cmdlet.WriteWarningOncePerPipeline(notValidating, notValidating);
        }

        if (assessment.RemoteServers.Count > 0)
        {
            var warning = $"The resolver {string.Join(", ", assessment.RemoteServers.Select(s => s.ToString()))} is reached over the network: its AD bit is only as trustworthy as that path. A validating resolver on loopback is safer.";
            cmdlet.WriteWarningOncePerPipeline(warning, warning);
        }
    }

    /// <summary>
    /// The warning that the resolver does not validate, when its AD bit is what decides (Resolver mode, or Auto that
    /// chose it); null when it validates, or when DanePS validates itself and the resolver only carries records.
    /// </summary>
    internal static string? NotValidatingWarning(ResolverAssessment assessment, DnssecValidationMode validation) =>
        validation == DnssecValidationMode.Resolver && !assessment.Validates
            ? $"The resolver ({string.Join(", ", assessment.Servers.Select(s => s.ToString()))}) does not validate DNSSEC (no AD bit on a known-signed name): no answer can be Secure, and denials cannot be trusted. Use a validating resolver, ideally on this machine (-Server 127.0.0.1)."
            : null;
}
