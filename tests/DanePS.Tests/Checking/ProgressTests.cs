using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Checking;

/// <summary>The progress bar of a long check names what it is working on, not only how far it is.</summary>
[Collection("EndpointWorld")]
public class ProgressTests : IDisposable
{
    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();

    public ProgressTests(EndpointWorld world) => _world = world;

    public void Dispose() => _session.Dispose();

    private Dictionary<string, object?> Vars => new() { ["resolver"] = _world.Resolver };

    private List<string> Statuses() => _session.LastProgress
        .Where(p => p.RecordType == ProgressRecordType.Processing)
        .Select(p => p.StatusDescription)
        .ToList();

    [Fact]
    public void Test_DaneEndpoint_progress_names_each_endpoint_it_checks()
    {
        _session.Run("'single.dane.test', 'stalemx.dane.test' | Test-DaneEndpoint -Port 25 -Server $resolver -ThrottleLimit 1 -WarningAction SilentlyContinue", Vars);
        var statuses = Statuses();
        Assert.Contains(statuses, s => s.Contains("single.dane.test:25", StringComparison.Ordinal));
        Assert.Contains(statuses, s => s.Contains("stalemx.dane.test:25", StringComparison.Ordinal));
        Assert.Contains(_session.LastProgress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public void Test_DaneMailDomain_progress_names_the_domain_it_checks()
    {
        _session.Run("Test-DaneMailDomain goodmail.test -Server $resolver", Vars);
        Assert.Contains(Statuses(), s => s.Contains("goodmail.test", StringComparison.Ordinal));
    }
}
