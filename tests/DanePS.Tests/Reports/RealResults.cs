using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Checking;
using DanePS.Engine.Reports;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Module;

namespace DanePS.Tests.Reports;

/// <summary>
/// Real check results from the endpoint world, as a scheduled run gets them: Test-DaneEndpoint on a passing host
/// (single), one whose only record is wrong (onlyjunk: Fail), one with junk next to the good record (junk: Pass with
/// a warning) and one that is down (refused: Unreachable), and Test-DaneMailDomain on a domain with a stale MX host
/// (mixedmail.test: Fail).
/// </summary>
internal sealed class RealResults
{
    private static readonly object Gate = new();
    private static (EndpointWorld World, RealResults Results)? _cached;

    /// <summary>The results for this world, checked once for every report test (the world's servers do not change).</summary>
    public static RealResults For(EndpointWorld world)
    {
        lock (Gate)
        {
            if (_cached is { } c && ReferenceEquals(c.World, world))
            {
                return c.Results;
            }

            using var session = new ModuleSession();
            var results = new RealResults(world, session);
            _cached = (world, results);
            return results;
        }
    }

    private RealResults(EndpointWorld world, ModuleSession session)
    {
        Endpoints = session.Run<DaneEndpointResult>(
            "'single.dane.test', 'onlyjunk.dane.test', 'junk.dane.test', 'refused.dane.test' | ForEach-Object { Test-DaneEndpoint -HostName $_ -Port 25 -Server $resolver -TimeoutSec 5 -WarningAction SilentlyContinue }",
            world.Variables());
        MailDomain = session.Run<DaneMailDomainResult>("Test-DaneMailDomain mixedmail.test -Server $resolver -TimeoutSec 5 -WarningAction SilentlyContinue", world.Variables()).Single();
    }

    public List<DaneEndpointResult> Endpoints { get; }

    public DaneMailDomainResult MailDomain { get; }

    public DaneEndpointResult Failing => Endpoints.First(e => e.HostName == "onlyjunk.dane.test");

    public DaneReport Report()
    {
        var report = new DaneReport();
        report.Add(MailDomain);
        foreach (var e in Endpoints)
        {
            report.Add(e);
        }

        return report;
    }
}
