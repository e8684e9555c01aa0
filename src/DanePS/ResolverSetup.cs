using System.Linq;
using System.Management.Automation;
using System.Threading;
using DanePS.Engine.Dns;

namespace DanePS;

/// <summary>Setting up the resolver for a run: the -Server values, and the once-per-run warnings about a non-validating or remote resolver.</summary>
internal static class ResolverSetup
{
    /// <summary>Parses -Server values into <paramref name="options"/>; a bad one ends the command (nothing can be asked).</summary>
    public static void AddServers(PSCmdlet cmdlet, DnsResolverOptions options, string[] servers, string errorPrefix)
    {
        foreach (var server in servers)
        {
            try
            {
                options.Servers.Add(DnsResolverOptions.ParseServer(server));
            }
            catch (System.FormatException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, errorPrefix + "InvalidServer", ErrorCategory.InvalidArgument, server));
            }
        }
    }

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
