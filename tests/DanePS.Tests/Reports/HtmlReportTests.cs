using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DanePS.Engine.Checking;
using DanePS.Engine.Reports;
using DanePS.Tests.Fixtures;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>
/// The HTML page in a real browser (Debian's headless Chromium): the DOM it builds has the verdicts first and one row
/// per endpoint with the record that would fix each failure; a screenshot has the window's size and shows a page,
/// not a blank one; hostile text shows as text and runs nothing.
/// </summary>
[Collection("EndpointWorld")]
public sealed class HtmlReportTests : IDisposable
{
    private const int Width = 1280;
    private const int Height = 900;
    private readonly EndpointWorld _world;
    private readonly string _folder = Directory.CreateTempSubdirectory("daneps-html-").FullName;

    public HtmlReportTests(EndpointWorld world) => _world = world;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Save(string name, string html)
    {
        var file = Path.Combine(_folder, name);
        File.WriteAllText(file, html);
        return file;
    }

    [Fact]
    public async Task In_a_browser_the_verdicts_come_first_then_one_row_per_endpoint_with_the_fix_for_each_failure()
    {
        var real = RealResults.For(_world);
        var page = Save("report.html", real.Report().Write(DaneReportFormat.Html));

        var dom = await FormatCheckers.DumpDomAsync(page);
        var rows = Regex.Matches(dom, "<tr class=\"endpoint-row [^\"]*\" data-verdict=\"(?<v>[A-Za-z]+)\">(?<cells>.*?)</tr>", RegexOptions.Singleline);
        var all = real.Endpoints.Concat(real.MailDomain.Endpoints).ToList();
        Assert.Equal(all.Count, rows.Count);
        Assert.Equal(all.Select(e => e.Verdict.ToString()).Order(), rows.Select(m => m.Groups["v"].Value).Order());
        Assert.Equal("Fail", rows[0].Groups["v"].Value);
        var fix = Assert.Single(rows, m => m.Groups["cells"].Value.Contains("onlyjunk.dane.test:25", StringComparison.Ordinal));
        Assert.Contains("<td class=\"fix\">_25._tcp.onlyjunk.dane.test. IN TLSA " + EndpointWorld.Ee311(_world.LeafEcdsa) + "</td>", fix.Groups["cells"].Value, StringComparison.Ordinal);
        Assert.All(rows.Where(m => m.Groups["v"].Value == "Pass"), m => Assert.Contains("<td class=\"fix\"></td>", m.Groups["cells"].Value, StringComparison.Ordinal));

        var status = dom.IndexOf("<h1>DANE CRITICAL</h1>", StringComparison.Ordinal);
        var verdicts = dom.IndexOf("id=\"verdicts\"", StringComparison.Ordinal);
        var endpoints = dom.IndexOf("id=\"endpoints\"", StringComparison.Ordinal);
        Assert.True(status >= 0 && status < verdicts && verdicts < endpoints, "The status and verdict counts must come before the endpoint rows.");
        Assert.Contains($"data-verdict=\"Fail\"><span class=\"badge\">Fail</span> {all.Count(e => e.Verdict == DaneVerdict.Fail)}</li>", dom, StringComparison.Ordinal);

        var blank = Save("blank.html", "<!DOCTYPE html><html><body></body></html>");
        var shot = await FormatCheckers.ScreenshotAsync(page, Path.Combine(_folder, "report.png"), Width, Height);
        var empty = await FormatCheckers.ScreenshotAsync(blank, Path.Combine(_folder, "blank.png"), Width, Height);
        Assert.Equal((Width, Height), (shot.Width, shot.Height));
        Assert.Equal((Width, Height), (empty.Width, empty.Height));
        Assert.True(shot.Bytes > 5 * empty.Bytes, $"The screenshot ({shot.Bytes} bytes) looks as empty as a blank page's ({empty.Bytes} bytes).");
    }

    [Fact]
    public async Task Hostile_text_is_shown_as_text_and_nothing_in_it_becomes_markup()
    {
        var report = new DaneReport();
        report.Add(HostileResults.Endpoint(DaneVerdict.Fail));
        report.Add(HostileResults.MailDomain("evil<i>domain</i>.test", DaneVerdict.DnssecFailure));
        var html = report.Write(DaneReportFormat.Html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);

        var dom = await FormatCheckers.DumpDomAsync(Save("hostile.html", html));
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<i>", dom, StringComparison.Ordinal);
        // The browser serialises the text it shows: the markup is there, as characters.
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dom, StringComparison.Ordinal);
        Assert.Contains("evil\"|&lt;b&gt;host\\x.test:25 [192.0.2.7] EC P-256", dom, StringComparison.Ordinal);
        Assert.Contains("evil&lt;i&gt;domain&lt;/i&gt;.test", dom, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(dom, "<tr class=\"endpoint-row "));
    }

    [Fact]
    public void The_page_loads_nothing_from_elsewhere()
    {
        var html = RealResults.For(_world).Report().Write(DaneReportFormat.Html);
        Assert.DoesNotMatch("(src|href)=", html);
        Assert.Contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"", html, StringComparison.Ordinal);
    }
}
