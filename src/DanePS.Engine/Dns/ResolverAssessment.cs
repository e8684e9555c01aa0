using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace DanePS.Engine.Dns;

/// <summary>What DanePS found out about the resolver it is using.</summary>
public sealed class ResolverAssessment
{
    internal ResolverAssessment(bool validates, IReadOnlyList<IPEndPoint> servers, bool answered = true)
    {
        Validates = validates && answered;
        Servers = servers;
        Answered = answered;
    }

    /// <summary>Whether the resolver sets AD on a known-signed name. Only then is any AD bit it sets believed.</summary>
    public bool Validates { get; }

    /// <summary>Whether the resolver answered anything at all in this run (false: it is down, or unreachable).</summary>
    public bool Answered { get; }

    /// <summary>The resolvers asked.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; }

    /// <summary>Resolvers reached over a non-loopback address: the AD bit is only as trustworthy as that path.</summary>
    public IReadOnlyList<IPEndPoint> RemoteServers => Servers.Where(s => !IPAddress.IsLoopback(s.Address)).ToList();
}
