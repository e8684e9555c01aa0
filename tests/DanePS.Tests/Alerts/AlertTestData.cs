using System;
using System.Collections.Generic;
using DanePS.Engine.Alerts;

namespace DanePS.Tests.Alerts;

/// <summary>Alert subjects as the adapter makes them, with the characters MarkdownV2 reserves in every field.</summary>
public static class AlertTestData
{
    public const string StaleRecord = "3 1 1 9999999999999999999999999999999999999999999999999999999999999999";
    public const string GoodRecord = "3 1 1 5E791D0C29D6919D74C365047F4076DED8BBB158E641F816F16B5E57C31D996F";

    public static AlertSubject Failing(string host = "mail.cendyne.dev", int port = 25) => new(
        host,
        port,
        null,
        new[] { new AlertCheck("192.0.2.1", "RSA 2048", "Fail", "No usable TLSA record matches the presented chain (see: _25._tcp.x!).", GoodRecord) },
        $"_{port}._tcp.{host}.",
        "Secure",
        new[] { StaleRecord, "3 1 1 8888888888888888888888888888888888888888888888888888888888888888" },
        new[] { new AlertFinding("StaleRecord", AlertSeverity.Warning, $"{host}:{port}", "Record 3 1 1 9999… matches nothing [remove it] {soon} #1 + x = y | z ~ a > b `c` \\d.") });

    public static AlertSubject Warning(string host = "mail.cendyne.dev") => new(
        host,
        25,
        null,
        new[] { new AlertCheck("192.0.2.1", "EC P-256", "Pass", "3 1 1 5E79… matched EE public key at depth 0", GoodRecord) },
        $"_25._tcp.{host}.",
        "Secure",
        new[] { GoodRecord, StaleRecord, "3 1 1 8888888888888888888888888888888888888888888888888888888888888888" },
        new[] { new AlertFinding("TooManyRecords", AlertSeverity.Warning, $"{host}:25", "3 records published; 1 to 2 expected.") });

    public static AlertSubject Passing(string host = "mail.cendyne.dev") => new(
        host,
        25,
        null,
        new[] { new AlertCheck("192.0.2.1", "EC P-256", "Pass", "3 1 1 5E79… matched EE public key at depth 0", GoodRecord) },
        $"_25._tcp.{host}.",
        "Secure",
        new[] { GoodRecord },
        Array.Empty<AlertFinding>());

    public static System.Security.SecureString Secure(string text)
    {
        var s = new System.Security.SecureString();
        foreach (var c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    public static IEnumerable<object[]> Nothing() => Array.Empty<object[]>();
}
