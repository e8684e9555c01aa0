using System.Linq;
using System.Management.Automation;
using System.Threading;
using DanePS.Engine.Dns;

namespace DanePS;

/// <summary>The once-per-run warnings about the resolver: a non-validating one, or one reached over the network.</summary>
internal static class ResolverWarnings
{
    public static void Write(Cmdlet cmdlet, DaneDnsReader reader, CancellationToken ct)
    {
        var assessment = reader.AssessResolverAsync(ct).GetAwaiter().GetResult();
        var servers = string.Join(", ", assessment.Servers.Select(s => s.ToString()));
        if (!assessment.Validates)
        {
            cmdlet.WriteWarning($"The resolver ({servers}) does not validate DNSSEC (no AD bit on a known-signed name): no answer can be Secure, and denials cannot be trusted. Use a validating resolver, ideally on this machine (-Server 127.0.0.1).");
        }

        if (assessment.RemoteServers.Count > 0)
        {
            cmdlet.WriteWarning($"The resolver {string.Join(", ", assessment.RemoteServers.Select(s => s.ToString()))} is reached over the network: its AD bit is only as trustworthy as that path. A validating resolver on loopback is safer.");
        }
    }
}
