using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using DanePS.Engine.Providers;
using DanePS.Engine.Rollover;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Servers;
using Xunit;

namespace DanePS.Tests.Rollover;

/// <summary>The invariant on its own: whatever the inputs, a record any address presents now is never retired.</summary>
public sealed class RetirementGuardTests
{
    private static readonly TlsIdentity Served = TlsIdentity.Issue(Fixtures.Pki.TestKeyType.Ecdsa, false, "mail.example.test");
    private static readonly TlsIdentity Staged = TlsIdentity.Issue(Fixtures.Pki.TestKeyType.Ecdsa, false, "mail.example.test");
    private static readonly TlsIdentity Stale = TlsIdentity.Issue(Fixtures.Pki.TestKeyType.Rsa, false, "mail.example.test");
    private static readonly RolloverTarget Target = new("mail.example.test", 25);

    private static PublishedTlsaRecord Published(TlsaRecord record) => new(Target.OwnerName, record, 300, null);

    private static ServedChain Chain(TlsIdentity identity) => new(Target, IPAddress.Loopback, TlsKeyType.Any, identity.Certificates, null);

    [Fact]
    public void Only_records_matching_neither_the_served_nor_the_staged_key_are_removed()
    {
        var served = RolloverHost.Record(Served);
        var staged = RolloverHost.Record(Staged);
        var stale = RolloverHost.Record(Stale);
        var servedFull = TlsaRecordFactory.FromCertificate(Served.Leaf, TlsaUsage.DaneEe, TlsaSelector.Cert, TlsaMatchingType.Sha512);
        var (remove, kept) = RetirementGuard.Decide(new[] { Published(served), Published(staged), Published(stale), Published(servedFull) }, new[] { staged }, new[] { Chain(Served) });

        Assert.Equal(stale, Assert.Single(remove).Record);
        Assert.Equal(2, kept.Count);
        Assert.All(kept, k => Assert.Contains("presents that key now", k, StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_staged_key_is_the_served_one_by_mistake_of_the_operator_the_served_record_still_stays()
    {
        var served = RolloverHost.Record(Served);
        var (remove, _) = RetirementGuard.Decide(new[] { Published(served) }, new[] { RolloverHost.Record(Stale) }, new[] { Chain(Served) });
        Assert.Empty(remove);
    }

    [Fact]
    public void An_address_that_cannot_be_read_keeps_every_record()
    {
        var unreadable = new ServedChain(Target, IPAddress.Parse("127.0.0.2"), TlsKeyType.Any, Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(), "connection refused");
        var (remove, kept) = RetirementGuard.Decide(new[] { Published(RolloverHost.Record(Stale)) }, new[] { RolloverHost.Record(Staged) }, new[] { Chain(Served), unreadable });
        Assert.Empty(remove);
        Assert.Contains("could not be read", Assert.Single(kept), StringComparison.Ordinal);
    }
}
