using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Providers;
using DanePS.Engine.Reporting;

namespace DanePS.Engine.Rollover;

/// <summary>A service whose TLSA records roll over: host name and port (the mail host's 25 and 443 in the classic setup).</summary>
public sealed class RolloverTarget
{
    /// <summary>Creates a target.</summary>
    public RolloverTarget(string hostName, int port)
    {
        HostName = (hostName ?? throw new ArgumentNullException(nameof(hostName))).TrimEnd('.');
        Port = port;
    }

    /// <summary>The host name (A-label form).</summary>
    public string HostName { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The TLSA owner name, e.g. "_25._tcp.mail.example.com.".</summary>
    public string OwnerName => TlsaProvider.NormalizeOwner(Tlsa.DnsTlsaRecord.OwnerNameFor(HostName, Port));

    /// <inheritdoc />
    public override string ToString() => $"{HostName}:{Port}";
}

/// <summary>
/// What the rollover reports as it goes, its steps and its progress; called from worker threads, one call at a time.
/// Narration goes to <see cref="TlsaRolloverOptions.Reporter"/>.
/// </summary>
public interface IRolloverSink
{
    /// <summary>A step has ended (or, with -WhatIf, is planned).</summary>
    void StepEnded(TlsaRolloverStep report);

    /// <summary>What the run is waiting for and until when; percent -1 when unknown.</summary>
    void Progress(string activity, string status, int percent);
}

/// <summary>Everything a rollover needs.</summary>
public sealed class TlsaRolloverOptions
{
    /// <summary>The host names and ports.</summary>
    public IList<RolloverTarget> Targets { get; } = new List<RolloverTarget>();

    /// <summary>The staged key's SubjectPublicKeyInfo (DER): the key the next certificate has (certbot's new cert, or a pre-generated next key).</summary>
    public byte[]? StagedSpki { get; set; }

    /// <summary>The staged certificate, when known (needed only for selector 0 records).</summary>
    public X509Certificate2? StagedCertificate { get; set; }

    /// <summary>Where the records are published.</summary>
    public TlsaProvider? Provider { get; set; }

    /// <summary>The validating resolver to read DNS through.</summary>
    public DnsResolverOptions Resolver { get; set; } = new();

    /// <summary>How the endpoints are checked in the verify step.</summary>
    public EndpointCheckOptions Check { get; set; } = new();

    /// <summary>The caller's reload step; null when there is none (then the verify step must find the staged key served).</summary>
    public Func<CancellationToken, Task<ReloadResult>>? Reload { get; set; }

    /// <summary>How often the authoritative servers are polled while waiting.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the records may take to reach every authoritative server.</summary>
    public TimeSpan PropagationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Wait this long after every server serves the records instead of the TTL (and negative TTL); for tests and known caches.</summary>
    public TimeSpan? CacheWait { get; set; }

    /// <summary>How long after the reload the verify step keeps checking until every address presents the staged key.</summary>
    public TimeSpan VerifySettleTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>TTL of published records.</summary>
    public int Ttl { get; set; } = 300;

    /// <summary>The folder of the state and lock files (one pair per set of targets).</summary>
    public string StateDirectory { get; set; } = string.Empty;

    /// <summary>How long to wait for another run's lock; zero refuses at once.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>Where the run narrates what it does (e.g. waiting for another run's lock); none by default.</summary>
    public IReporter? Reporter { get; set; }

    /// <summary>Plan only: change nothing, wait for nothing, run nothing.</summary>
    public bool WhatIf { get; set; }
}
