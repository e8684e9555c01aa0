using System;
using DanePS.Engine.Tlsa;
using Xunit;

namespace DanePS.Tests.Tlsa;

[Trait("Category", "Unit")]
public class TlsaRecordTests
{
    private const string Hash = "5E791D0C1E5D4A6E0A0F1C2B3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60";

    [Fact]
    public void Parses_numeric_presentation()
    {
        var r = TlsaRecord.Parse("3 1 1 " + Hash);
        Assert.Equal(TlsaUsage.DaneEe, r.Usage);
        Assert.Equal(TlsaSelector.Spki, r.Selector);
        Assert.Equal(TlsaMatchingType.Sha256, r.MatchingType);
        Assert.Equal(Hash, r.AssociationData);
        Assert.True(r.IsUsable);
        Assert.Equal("3 1 1 " + Hash, r.ToString());
    }

    [Fact]
    public void Parses_hex_split_by_spaces_in_lower_case_and_parentheses_as_dig_prints_it()
    {
        var split = "2 0 1 ( " + Hash.Substring(0, 8).ToLowerInvariant() + " " + Hash.Substring(8, 20) + "\n\t" + Hash.Substring(28) + " )";
        var r = TlsaRecord.Parse(split);
        Assert.Equal(TlsaUsage.DaneTa, r.Usage);
        Assert.Equal(TlsaSelector.Cert, r.Selector);
        Assert.Equal(Hash, r.AssociationData);
    }

    [Fact]
    public void Parses_rfc7218_mnemonics_in_any_case()
    {
        var r = TlsaRecord.Parse("dane-ee SPKI sha2-512 " + Hash + Hash);
        Assert.Equal(TlsaUsage.DaneEe, r.Usage);
        Assert.Equal(TlsaMatchingType.Sha512, r.MatchingType);
        Assert.Equal("DANE-EE SPKI SHA2-512", r.Mnemonic);
        Assert.True(r.IsUsable);
    }

    [Fact]
    public void Parses_a_whole_zone_file_line()
    {
        var r = TlsaRecord.Parse("_25._tcp.mx.example.com. 3600 IN TLSA 3 1 1 " + Hash);
        Assert.Equal("3 1 1 " + Hash, r.ToString());
    }

    [Theory]
    [InlineData("4 1 1", TlsaRecordCondition.UnknownUsage)]
    [InlineData("255 1 1", TlsaRecordCondition.UnknownUsage)]
    [InlineData("3 2 1", TlsaRecordCondition.UnknownSelector)]
    [InlineData("3 1 3", TlsaRecordCondition.UnknownMatchingType)]
    public void Unassigned_values_are_kept_and_marked_unusable(string head, TlsaRecordCondition expected)
    {
        var r = TlsaRecord.Parse(head + " " + Hash);
        Assert.Equal(expected, r.Condition);
        Assert.False(r.IsUsable);
        Assert.NotNull(r.Problem);
        Assert.StartsWith(head, r.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3 1 1 AABB")]
    [InlineData("3 1 2 " + Hash)]
    public void Data_of_the_wrong_length_for_its_digest_is_malformed(string text)
    {
        var r = TlsaRecord.Parse(text);
        Assert.Equal(TlsaRecordCondition.Malformed, r.Condition);
        Assert.Contains("bytes", r.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_data_of_any_length_is_usable()
    {
        Assert.True(TlsaRecord.Parse("3 1 0 3059301306072A8648CE3D020106082A8648CE3D030107").IsUsable);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3 1 1")]
    [InlineData("3 1 1 XYZ0")]
    [InlineData("3 1 1 ABC")]
    [InlineData("256 1 1 AB")]
    [InlineData("DANE-XX 1 1 AB")]
    [InlineData("-1 1 1 AB")]
    public void Rejects_text_that_is_not_a_tlsa_record(string text)
    {
        Assert.False(TlsaRecord.TryParse(text, out var record, out var error));
        Assert.Null(record);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => TlsaRecord.Parse(text));
    }

    [Fact]
    public void Equality_is_by_value()
    {
        Assert.Equal(TlsaRecord.Parse("3 1 1 " + Hash), TlsaRecord.Parse("DANE-EE SPKI SHA2-256 " + Hash.ToLowerInvariant()));
        Assert.NotEqual(TlsaRecord.Parse("3 1 1 " + Hash), TlsaRecord.Parse("2 1 1 " + Hash));
    }
}
