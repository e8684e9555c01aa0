using DanePS.Engine.TlsRpt;
using Xunit;

namespace DanePS.Tests.TlsRpt;

/// <summary>The TLS-RPT policy record's rules (RFC 8460 §3), without DNS.</summary>
public class TlsRptRecordTests
{
    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:reports@example.com", TlsRptRecordStatus.Valid)]
    [InlineData("v=TLSRPTv1;rua=https://reporting.example.com/v1/tlsrpt", TlsRptRecordStatus.Valid)]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x", TlsRptRecordStatus.Valid)]
    [InlineData("v=TLSRPTv1; ruf=mailto:reports@example.com", TlsRptRecordStatus.Malformed)]
    [InlineData("v=TLSRPTv1; rua=ftp://example.com/x", TlsRptRecordStatus.Malformed)]
    [InlineData("v=TLSRPTv1; rua=mailto:", TlsRptRecordStatus.Malformed)]
    [InlineData("v=TLSRPTv10; rua=mailto:reports@example.com", TlsRptRecordStatus.NotPublished)]
    [InlineData("v=spf1 -all", TlsRptRecordStatus.NotPublished)]
    public void One_txt_record_is_judged_by_its_version_and_rua(string txt, TlsRptRecordStatus expected)
    {
        Assert.Equal(expected, TlsRptRecord.FromTxt(new[] { txt }).Status);
    }

    [Fact]
    public void Two_version_records_are_as_good_as_none_and_other_txt_records_are_ignored()
    {
        var two = TlsRptRecord.FromTxt(new[] { "v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com" });
        Assert.Equal(TlsRptRecordStatus.Multiple, two.Status);
        Assert.Null(two.Text);
        var one = TlsRptRecord.FromTxt(new[] { "google-site-verification=xyz", "v=TLSRPTv1; rua=mailto:a@example.com, mailto:b@example.com" });
        Assert.Equal(TlsRptRecordStatus.Valid, one.Status);
        Assert.Equal(new[] { "mailto:a@example.com", "mailto:b@example.com" }, one.Rua);
    }
}
