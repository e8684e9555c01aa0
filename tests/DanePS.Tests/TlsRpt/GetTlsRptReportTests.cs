using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using DanePS.Engine.TlsRpt;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.TlsRpt;

/// <summary>Get-TlsRptReport on files in a real runspace: reports as reporters send them, and hostile ones.</summary>
public sealed class GetTlsRptReportTests : IDisposable
{
    private readonly ModuleSession _session = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("danep-tlsrpt-").FullName;

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_dir, true);
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string Write(string name, string content) => Write(name, Encoding.UTF8.GetBytes(content));

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] vars) => vars.ToDictionary(v => v.Name, v => v.Value);

    private static string Id(ErrorRecord e) => e.FullyQualifiedErrorId.Split(',')[0];

    [Fact]
    public void The_rfc_8460_example_reads_as_one_policy_with_its_fields_in_powershell_casing()
    {
        var path = Write("rfc.json", TlsRptSamples.Rfc8460AppendixB);
        var policy = _session.Run<TlsRptPolicyResult>("Get-TlsRptReport -Path $p", Vars(("p", path))).Single();
        Assert.Empty(_session.LastErrors);
        Assert.Equal("Company-X", policy.OrganizationName);
        Assert.Equal("5065427c-23d3-47ca-b6e0-946ea0e8c4be", policy.ReportId);
        Assert.Equal(new DateTimeOffset(2016, 4, 1, 0, 0, 0, TimeSpan.Zero), policy.DateRangeStart);
        Assert.Equal(new DateTimeOffset(2016, 4, 1, 23, 59, 59, TimeSpan.Zero), policy.DateRangeEnd);
        Assert.Equal("sts-reporting@company-x.example", policy.ContactInfo);
        Assert.Equal("sts", policy.PolicyType);
        Assert.Equal("company-y.example", policy.PolicyDomain);
        Assert.Equal(4, policy.PolicyString.Count);
        Assert.Equal("*.mail.company-y.example", Assert.Single(policy.MxHost));
        Assert.Equal(5326, policy.TotalSuccessfulSessionCount);
        Assert.Equal(303, policy.TotalFailureSessionCount);
        Assert.Equal(3, policy.FailureDetails.Count);
        Assert.Equal(path, policy.Source);
    }

    [Fact]
    public void Failure_detail_writes_one_object_per_entry_with_every_rfc_field()
    {
        var path = Write("rfc.json", TlsRptSamples.Rfc8460AppendixB);
        var failures = _session.Run<TlsRptFailureDetail>("Get-TlsRptReport $p -FailureDetail", Vars(("p", path)));
        Assert.Equal(new[] { "certificate-expired", "starttls-not-supported", "validation-failure" }, failures.Select(f => f.ResultType));
        var starttls = failures[1];
        Assert.Equal("2001:db8:abcd:0013::1", starttls.SendingMtaIp);
        Assert.Equal("mx2.mail.company-y.example", starttls.ReceivingMxHostname);
        Assert.Equal("203.0.113.56", starttls.ReceivingIp);
        Assert.Equal(200, starttls.FailedSessionCount);
        Assert.StartsWith("https://reports.company-x.example/", starttls.AdditionalInformation, StringComparison.Ordinal);
        Assert.Equal("X509_V_ERR_PROOF_OF_POSSESSION", failures[2].FailureReasonCode);
        Assert.Equal("Company-X", failures[2].OrganizationName);
        Assert.Equal("company-y.example", failures[2].PolicyDomain);
        Assert.Equal("sts", failures[2].PolicyType);
    }

    [Fact]
    public void Gzipped_reports_and_report_mails_read_like_plain_json_and_wildcards_take_them_all()
    {
        Write("google.json.gz", TlsRptSamples.Gzip(TlsRptSamples.GoogleDane()));
        Write("microsoft.json", TlsRptSamples.MicrosoftMultiple);
        Write("rfc.eml", TlsRptSamples.MailBytes(TlsRptSamples.Mail("Company-X", "company-y.example", TlsRptSamples.Gzip(TlsRptSamples.Rfc8460AppendixB))));
        Write("plain-json.eml", TlsRptSamples.MailBytes(TlsRptSamples.Mail("Json Sender", "dane.example", Encoding.UTF8.GetBytes(TlsRptSamples.GoogleDane(day: "2026-11-29")), "application", "tlsrpt+json", "report.json")));
        var policies = _session.Run<TlsRptPolicyResult>("Get-TlsRptReport -Path $d/*", Vars(("d", _dir)));
        Assert.Empty(_session.LastErrors);
        Assert.Equal(1 + 3 + 1 + 1, policies.Count);
        var google = policies.Single(p => p.Source.EndsWith("google.json.gz", StringComparison.Ordinal));
        Assert.Equal("tlsa", google.PolicyType);
        Assert.Equal("tlsa-invalid", Assert.Single(google.FailureDetails).ResultType);
        Assert.Equal(new[] { "sts", "tlsa", "no-policy-found" }, policies.Where(p => p.OrganizationName == "Microsoft Corporation").Select(p => p.PolicyType));
        Assert.Empty(policies.Single(p => p.PolicyType == "no-policy-found").FailureDetails);
        Assert.Contains(policies, p => p.OrganizationName == "Company-X" && p.Source.EndsWith("rfc.eml [company-x!company-y.example!1764460800!1764547199.json.gz]", StringComparison.Ordinal));
        Assert.Contains(policies, p => p.OrganizationName == "Google Inc." && p.Source.Contains("plain-json.eml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mail_with_application_gzip_and_a_json_gz_name_is_read_as_reporters_send_it()
    {
        var path = Write("gzip.eml", TlsRptSamples.MailBytes(TlsRptSamples.Mail("Google Inc.", "dane.example", TlsRptSamples.Gzip(TlsRptSamples.GoogleDane()), "application", "gzip")));
        var policy = _session.Run<TlsRptPolicyResult>("[pscustomobject]@{ PSPath = $p } | Get-TlsRptReport", Vars(("p", path))).Single();
        Assert.Empty(_session.LastErrors);
        Assert.Equal("Google Inc.", policy.OrganizationName);
    }

    [Fact]
    public void Every_hostile_or_malformed_item_is_its_own_error_naming_it_and_the_run_goes_on()
    {
        var good = Write("a-good.json.gz", TlsRptSamples.Gzip(TlsRptSamples.GoogleDane()));
        var badJson = Write("b-bad.json", "{\"organization-name\": \"X\", ");
        var bomb = Write("c-bomb.json.gz", TlsRptSamples.GzipBomb(12L * 1024 * 1024));
        var flood = Write("d-flood.json", TlsRptSamples.ManyFailures(360_000)); // 50 MB of entries
        var many = Write("e-many.json.gz", TlsRptSamples.Gzip(TlsRptSamples.ManyFailures(10_001)));
        var wrongType = Write("f-wrongtype.eml", TlsRptSamples.MailBytes(TlsRptSamples.Mail("Sender", "dane.example", Encoding.UTF8.GetBytes("<html>no</html>"), "text", "html", "report.html")));
        var fullGzip = TlsRptSamples.Gzip(TlsRptSamples.MicrosoftMultiple);
        var truncated = Write("g-truncated.json.gz", fullGzip.AsSpan(0, fullGzip.Length / 2).ToArray());
        var notReport = Write("h-notreport.json", "{\"hello\": \"world\"}");
        var msg = Write("i-outlook.msg", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0 });
        var deep = Write("j-deep.json", new string('[', 100) + new string(']', 100));
        var last = Write("k-last.json", TlsRptSamples.Rfc8460AppendixB);
        Assert.True(new FileInfo(flood).Length > 50L * 1024 * 1024);
        Assert.True(new FileInfo(bomb).Length < 100 * 1024);

        var policies = _session.Run<TlsRptPolicyResult>("Get-TlsRptReport -Path $d/*", Vars(("d", _dir)));
        Assert.Equal(new[] { "Google Inc.", "Company-X" }, policies.Select(p => p.OrganizationName));
        var errors = _session.LastErrors.ToDictionary(e => (string)e.TargetObject, e => e);
        Assert.Equal(9, errors.Count);
        Assert.Equal("GetTlsRptReportInvalidJson", Id(errors[badJson]));
        Assert.Equal(ErrorCategory.ParserError, errors[badJson].CategoryInfo.Category);
        Assert.Equal("GetTlsRptReportTooLarge", Id(errors[bomb]));
        Assert.Equal(ErrorCategory.LimitsExceeded, errors[bomb].CategoryInfo.Category);
        Assert.Equal("GetTlsRptReportTooLarge", Id(errors[flood]));
        Assert.Equal("GetTlsRptReportTooManyEntries", Id(errors[many]));
        Assert.Equal("GetTlsRptReportNoReportInMessage", Id(errors[wrongType]));
        Assert.Contains("text/html", errors[wrongType].Exception.Message, StringComparison.Ordinal);
        Assert.Equal("GetTlsRptReportInvalidGzip", Id(errors[truncated]));
        Assert.Equal("GetTlsRptReportNotAReport", Id(errors[notReport]));
        Assert.Equal("GetTlsRptReportUnsupportedFormat", Id(errors[msg]));
        Assert.Contains(".eml", errors[msg].Exception.Message, StringComparison.Ordinal);
        Assert.Equal("GetTlsRptReportInvalidJson", Id(errors[deep]));
        Assert.All(errors, e => Assert.Contains(Path.GetFileName(e.Key), e.Value.Exception.Message, StringComparison.Ordinal));
        _ = good;
        _ = last;
    }

    [Fact]
    public void The_summary_adds_up_failures_per_mx_host_and_result_type_over_reports_and_reporters()
    {
        Write("google-29.json.gz", TlsRptSamples.Gzip(TlsRptSamples.GoogleDane(day: "2026-11-29", failures: 5)));
        Write("google-30.json.gz", TlsRptSamples.Gzip(TlsRptSamples.GoogleDane(day: "2026-11-30", failures: 7)));
        Write("google-30-again.eml", TlsRptSamples.MailBytes(TlsRptSamples.Mail("Google Inc.", "dane.example", TlsRptSamples.Gzip(TlsRptSamples.GoogleDane(day: "2026-11-30", failures: 7)))));
        Write("microsoft.json", TlsRptSamples.MicrosoftMultiple);
        var summaries = _session.Run<TlsRptSummary>("Get-TlsRptReport $d/* -Summary", Vars(("d", _dir)));
        Assert.Empty(_session.LastErrors);
        var tlsa = summaries.Single(s => s.ResultType == "tlsa-invalid");
        Assert.Equal("mx1.dane.example", tlsa.ReceivingMxHostname);
        Assert.Equal(12, tlsa.FailedSessionCount); // the report read twice counts once
        Assert.Equal(2, tlsa.ReportCount);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero), tlsa.FirstSeen);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero), tlsa.LastSeen);
        Assert.Equal("Google Inc.", Assert.Single(tlsa.Reporters));
        Assert.Equal(new[] { "certificate-host-mismatch", "dnssec-invalid", "tlsa-invalid" }, summaries.Select(s => s.ResultType));
    }

    [Fact]
    public void Two_entries_of_one_report_that_differ_only_in_their_reason_both_count()
    {
        var entry = "{\"result-type\":\"validation-failure\",\"sending-mta-ip\":\"198.51.100.1\",\"receiving-mx-hostname\":\"mx1.dane.example\",\"failed-session-count\":2,\"failure-reason-code\":\"";
        var report = TlsRptSamples.ManyFailures(1).Replace("{\"result-type\":\"tlsa-invalid\"", entry + "A\"}," + entry + "B\"},{\"result-type\":\"tlsa-invalid\"", StringComparison.Ordinal);
        Write("two.json", report);
        var summary = _session.Run<TlsRptSummary>("Get-TlsRptReport $d/* -Summary", Vars(("d", _dir))).Single(s => s.ResultType == "validation-failure");
        Assert.Empty(_session.LastErrors);
        Assert.Equal(4, summary.FailedSessionCount);
    }

    [Fact]
    public void Failure_detail_and_summary_together_is_a_terminating_error()
    {
        var path = Write("rfc.json", TlsRptSamples.Rfc8460AppendixB);
        Assert.DoesNotContain(_session.Run("Get-TlsRptReport $p -FailureDetail -Summary", Vars(("p", path))), o => o.BaseObject is TlsRptFailureDetail or TlsRptSummary);
        Assert.Equal("GetTlsRptReportInvalidParameter", Id(Assert.Single(_session.LastErrors)));
    }

    [Fact]
    public void The_default_views_show_the_reporter_policy_and_counts()
    {
        Write("google.json.gz", TlsRptSamples.Gzip(TlsRptSamples.GoogleDane()));
        _session.ClearHostOutput();
        _session.Run("Get-TlsRptReport $d/* | Out-Default; Get-TlsRptReport $d/* -FailureDetail | Out-Default; Get-TlsRptReport $d/* -Summary | Out-Default", Vars(("d", _dir)));
        var text = _session.HostOutput;
        Assert.Contains("Google Inc.", text, StringComparison.Ordinal);
        Assert.Contains("tlsa-invalid", text, StringComparison.Ordinal);
        Assert.Contains("mx1.dane.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DanePS.Engine", text, StringComparison.Ordinal);
    }
}
