using System.Linq;
using System.Text;
using DanePS.Engine.Dns;
using DanePS.Engine.Dnssec;
using DnsClient.Protocol;
using Xunit;

namespace DanePS.Tests.Dnssec;

/// <summary>Records validated locally reach the rest of DanePS as the resolver path gives them.</summary>
[Trait("Category", "Unit")]
public sealed class ValidatedRecordConversionTests
{
    [Fact]
    public void A_TXT_record_keeps_its_character_strings_so_a_TLS_RPT_record_split_in_two_reads_whole()
    {
        // "v=TLSRPTv1;" " rua=mailto:r@example.com": two character-strings, concatenated by RFC 8460 section 3.
        var first = Encoding.ASCII.GetBytes("v=TLSRPTv1;");
        var second = Encoding.ASCII.GetBytes(" rua=mailto:r@example.com");
        var rdata = new[] { (byte)first.Length }.Concat(first).Concat(new[] { (byte)second.Length }).Concat(second).ToArray();

        var record = DnssecQuerier.ToDnsClientRecord(new WireRecord(DomainName.Parse("_smtp._tls.example.com."), 16, 1, 300, rdata));

        var txt = Assert.IsType<TxtRecord>(record);
        Assert.Equal(new[] { "v=TLSRPTv1;", " rua=mailto:r@example.com" }, txt.Text);
        Assert.Equal("v=TLSRPTv1; rua=mailto:r@example.com", string.Concat(txt.Text));
    }

    [Fact]
    public void A_TXT_record_whose_string_runs_past_its_end_is_refused()
    {
        var rdata = new byte[] { 10, (byte)'v', (byte)'=' };
        Assert.Throws<System.FormatException>(() => DnssecQuerier.ToDnsClientRecord(new WireRecord(DomainName.Parse("x.example."), 16, 1, 300, rdata)));
    }
}
