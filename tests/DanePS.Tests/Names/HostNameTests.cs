using System;
using DanePS.Engine.Names;
using Xunit;

namespace DanePS.Tests.Names;

[Trait("Category", "Unit")]
public class HostNameTests
{
    [Theory]
    [InlineData("mx.example.com", "mx.example.com")]
    [InlineData("  MX.Example.COM  ", "mx.example.com")]
    [InlineData("mx.example.com.", "mx.example.com")]
    [InlineData("Mail-1.Example.com.\t", "mail-1.example.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("r3--sn-a5m.example", "r3--sn-a5m.example")]
    [InlineData("123.example.com", "123.example.com")]
    public void Trims_folds_case_and_drops_the_trailing_dot(string text, string expected)
    {
        var name = HostName.Parse(text);
        Assert.Equal(expected, name.Ascii);
        Assert.Equal(expected, name.Unicode);
        Assert.False(name.IsInternationalized);
        Assert.Equal(expected, name.ToString());
    }

    [Theory]
    [InlineData("bücher.example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("BÜCHER.example.", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("XN--BCHER-KVA.Example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("mx.例え.テスト", "mx.xn--r8jz45g.xn--zckzah", "mx.例え.テスト")]
    [InlineData("mx。例え。テスト", "mx.xn--r8jz45g.xn--zckzah", "mx.例え.テスト")]
    public void Internationalised_names_become_A_labels_and_keep_their_Unicode_form(string text, string ascii, string unicode)
    {
        var name = HostName.Parse(text);
        Assert.Equal(ascii, name.Ascii);
        Assert.Equal(unicode, name.Unicode);
        Assert.True(name.IsInternationalized);
        Assert.Equal($"{unicode} ({ascii})", name.Display);
        Assert.Equal(unicode, HostName.ToUnicode(ascii));
    }

    [Theory]
    [InlineData("", HostNameProblem.Empty, "empty")]
    [InlineData("   ", HostNameProblem.Empty, "empty")]
    [InlineData(null, HostNameProblem.Empty, "empty")]
    [InlineData(".", HostNameProblem.Empty, "root")]
    [InlineData("https://mx.example.com/", HostNameProblem.Url, "(mx.example.com)")]
    [InlineData("smtp://mx.example.com:25", HostNameProblem.Url, "URL")]
    [InlineData("mx.example.com:25", HostNameProblem.HostAndPort, "-Port 25")]
    [InlineData("192.0.2.25", HostNameProblem.IPAddress, "DANE needs a host name")]
    [InlineData("2001:db8::25", HostNameProblem.IPAddress, "DANE needs a host name")]
    [InlineData("[2001:db8::25]", HostNameProblem.IPAddress, "IP address")]
    [InlineData("::1", HostNameProblem.IPAddress, "IP address")]
    [InlineData("_25._tcp.mx.example.com", HostNameProblem.ServiceLabels, "give the host name (mx.example.com) and the port with -Port 25")]
    [InlineData("_443._TCP.www.example.com.", HostNameProblem.ServiceLabels, "-Port 443")]
    [InlineData("mx..example.com", HostNameProblem.EmptyLabel, "empty label")]
    [InlineData(".example.com", HostNameProblem.EmptyLabel, "empty label")]
    [InlineData("mx.example.com..", HostNameProblem.EmptyLabel, "empty label")]
    [InlineData("mx example.com", HostNameProblem.InvalidCharacter, "a space")]
    [InlineData("mx_1.example.com", HostNameProblem.InvalidCharacter, "an underscore")]
    [InlineData("*.example.com", HostNameProblem.InvalidCharacter, "'*'")]
    [InlineData("mx,example.com", HostNameProblem.InvalidCharacter, "','")]
    [InlineData("postmaster@example.com", HostNameProblem.InvalidCharacter, "'@'")]
    [InlineData("mx.exam\tple.com", HostNameProblem.InvalidCharacter, "U+0009")]
    [InlineData("bü cher.example", HostNameProblem.InvalidCharacter, "a space")]
    [InlineData("-mx.example.com", HostNameProblem.LeadingOrTrailingHyphen, "hyphen")]
    [InlineData("mx-.example.com", HostNameProblem.LeadingOrTrailingHyphen, "hyphen")]
    [InlineData("xn--zz-.example", HostNameProblem.InvalidInternationalizedLabel, "A-label")]
    [InlineData("mx.example.123", HostNameProblem.NumericTopLevelLabel, "all digits")]
    [InlineData("192.0.2", HostNameProblem.NumericTopLevelLabel, "all digits")]
    public void Refuses_what_is_not_a_host_name_and_says_why(string? text, HostNameProblem problem, string hint)
    {
        Assert.False(HostName.TryParse(text, out var name, out var error));
        Assert.Null(name);
        Assert.NotNull(error);
        Assert.Equal(problem, error!.Problem);
        Assert.Equal(text, error.Input);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.IsType<HostNameFormatException>(Assert.ThrowsAny<FormatException>(() => HostName.Parse(text)));
    }

    [Fact]
    public void A_label_holds_at_most_63_octets()
    {
        Assert.Equal(new string('a', 63) + ".example", HostName.Parse(new string('a', 63) + ".example").Ascii);
        var error = Assert.Throws<HostNameFormatException>(() => HostName.Parse(new string('a', 64) + ".example"));
        Assert.Equal(HostNameProblem.LabelTooLong, error.Problem);
        Assert.Contains("64 octets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_internationalised_label_is_measured_in_its_A_label_form()
    {
        // 61 characters, but "xn--" and the Punycode delta make the A-label longer than 63 octets.
        var label = new string('a', 60) + "ü";
        var error = Assert.Throws<HostNameFormatException>(() => HostName.Parse(label + ".example"));
        Assert.True(error.Problem is HostNameProblem.LabelTooLong or HostNameProblem.InvalidInternationalizedLabel, error.Problem.ToString());
    }

    [Fact]
    public void A_name_holds_at_most_253_octets()
    {
        var label = new string('a', 63);
        var ok = $"{label}.{label}.{label}.{new string('b', 61)}"; // 63*3 + 61 + 3 dots = 253
        Assert.Equal(253, ok.Length);
        Assert.Equal(ok, HostName.Parse(ok + ".").Ascii);
        var error = Assert.Throws<HostNameFormatException>(() => HostName.Parse(ok + "b"));
        Assert.Equal(HostNameProblem.NameTooLong, error.Problem);
        Assert.Contains("254 octets", error.Message, StringComparison.Ordinal);
        Assert.Equal(HostNameProblem.NameTooLong, Assert.Throws<HostNameFormatException>(() => HostName.Parse(new string('a', 5000))).Problem);
    }

    [Fact]
    public void Equal_names_are_equal_whatever_form_they_were_given_in()
    {
        Assert.Equal(HostName.Parse("Bücher.Example."), HostName.Parse("xn--bcher-kva.example"));
        Assert.NotEqual(HostName.Parse("mx1.example"), HostName.Parse("mx2.example"));
    }

    [Fact]
    public void ToUnicode_leaves_names_it_cannot_convert_as_they_are()
    {
        Assert.Equal("xn--zz-.example", HostName.ToUnicode("xn--zz-.example"));
        Assert.Equal("mx.example.com.", HostName.ToUnicode("mx.example.com."));
        Assert.Equal("bücher.example.", HostName.ToUnicode("xn--bcher-kva.example."));
        Assert.Equal(string.Empty, HostName.ToUnicode(null));
    }
}
