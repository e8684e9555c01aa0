using System.Linq;
using DanePS.Engine;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;
using Xunit;

namespace DanePS.Tests.Dns;

/// <summary>Whether a DANE client would use an RRset read from DNS, by the same rules Test-DaneEndpoint judges by.</summary>
[Trait("Category", "Unit")]
public class TlsaRecordSetTests
{
    private const string Hash = "5E791D0C1E5D4A6E0A0F1C2B3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60";

    private static TlsaRecordSet Secure(int port, params string[] records)
    {
        var set = new TlsaRecordSet("mx.example.test", port, "tcp")
        {
            Outcome = TlsaLookupOutcome.Found,
            DnssecStatus = DnssecStatus.Secure,
        };
        set.Records = new ReadableList<DnsTlsaRecord>(records
            .Select(r => new DnsTlsaRecord(TlsaRecord.Parse(r), set.HostName, port) { DnssecStatus = DnssecStatus.Secure }).ToList());
        return set;
    }

    [Fact]
    public void Pkix_records_alone_at_port_25_do_not_make_dane_apply_as_smtp_cannot_use_them()
    {
        Assert.False(Secure(25, "1 1 1 " + Hash, "0 0 1 " + Hash).DaneApplies);
        Assert.True(Secure(443, "1 1 1 " + Hash).DaneApplies);
        Assert.True(Secure(25, "1 1 1 " + Hash, "3 1 1 " + Hash).DaneApplies);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(DnssecStatus.Secure, true)]
    [InlineData(DnssecStatus.Insecure, false)]
    [InlineData(DnssecStatus.Bogus, false)]
    [InlineData(DnssecStatus.Indeterminate, false)]
    public void Dane_applies_to_an_mx_host_only_under_a_secure_mx_rrset(DnssecStatus? mx, bool applies)
    {
        var set = Secure(25, "3 1 1 " + Hash);
        set.MxDnssecStatus = mx;
        Assert.Equal(applies, set.DaneApplies);
    }

    [Fact]
    public void Dane_does_not_apply_to_insecure_records()
    {
        var set = Secure(443, "3 1 1 " + Hash);
        set.DnssecStatus = DnssecStatus.Insecure;
        Assert.False(set.DaneApplies);
    }
}
