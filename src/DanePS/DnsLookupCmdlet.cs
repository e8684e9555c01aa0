using System;
using System.Management.Automation;
using DanePS.Engine.Dns;

namespace DanePS;

/// <summary>
/// Every cmdlet that looks anything up in DNS: one set of resolver parameters (-Server, -DnsTimeoutSec,
/// -DnsRetries, -DnsTcpOnly), one DNS reader per run, and the resolver assessment, which runs once per run
/// alongside the first lookups and is reported once.
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
        };
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
