using System;
using DanePS.Engine.Alerts;
using DanePS.Tests.Reporting;
using Xunit;

namespace DanePS.Tests.Alerts;

public class RedactingReporterTests
{
    private const string Token = "987654:SECRET-bot_token.XYZ";

    [Fact]
    public void Verbose_debug_and_warning_lines_reach_the_inner_reporter_with_every_form_of_a_secret_masked()
    {
        var inner = new CollectingReporter();
        var reporter = new RedactingReporter(inner, new SecretRedactor(new[] { AlertTestData.Secure(Token) }));

        reporter.Verbose($"POST https://api.telegram.org/bot{Token}/sendMessage");
        reporter.Debug($"url-encoded: {Uri.EscapeDataString(Token)}");
        reporter.Warning($"token {Token} refused");

        Assert.Equal(
            new[]
            {
                "V POST https://api.telegram.org/bot***/sendMessage",
                "D url-encoded: ***",
                "W token *** refused",
            },
            inner.Lines.ToArray());
    }
}
