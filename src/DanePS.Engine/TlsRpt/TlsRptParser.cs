using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// Reads RFC 8460 report JSON, raw or gzipped, within <see cref="TlsRptReadOptions"/>: nothing in a report is
/// executed, resolved or fetched; every field is kept as text (addresses and URIs included).
/// </summary>
public static class TlsRptParser
{
    /// <summary>Reads one report from JSON bytes.</summary>
    /// <exception cref="TlsRptFormatException">The bytes are not a report, or break a limit.</exception>
    public static TlsRptReport ParseJson(byte[] json, string source, TlsRptReadOptions options)
    {
        if (json is null)
        {
            throw new ArgumentNullException(nameof(json));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        options.Validate();
        if (json.LongLength > options.MaxReportBytes)
        {
            throw TooLarge(source, options);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = options.MaxJsonDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw new TlsRptFormatException(TlsRptProblem.InvalidJson, source, "the report is not valid JSON (or nests deeper than " + options.MaxJsonDepth.ToString(CultureInfo.InvariantCulture) + "): " + ex.Message, ex);
        }

        using (document)
        {
            return Read(document.RootElement, source, options);
        }
    }

    /// <summary>Expands gzip data within <see cref="TlsRptReadOptions.MaxReportBytes"/>, then reads the report.</summary>
    /// <exception cref="TlsRptFormatException">The data is not gzip, expands past the limit, or is not a report.</exception>
    public static TlsRptReport ParseGzip(byte[] gzip, string source, TlsRptReadOptions options) =>
        ParseJson(Gunzip(gzip, source, options), source, options);

    /// <summary>Reads a report from raw bytes: gzip when they start with gzip's magic number, JSON otherwise.</summary>
    public static TlsRptReport Parse(byte[] content, string source, TlsRptReadOptions options) =>
        IsGzip(content) ? ParseGzip(content, source, options) : ParseJson(content, source, options);

    internal static bool IsGzip(byte[] content) => content.Length >= 2 && content[0] == 0x1F && content[1] == 0x8B;

    /// <summary>
    /// Expands gzip data, reading at most one byte past the limit (a gzip bomb stops there, whatever it claims), and
    /// checks the trailer's length (ISIZE): .NET's GZipStream ends quietly on data cut short.
    /// </summary>
    internal static byte[] Gunzip(byte[] gzip, string source, TlsRptReadOptions options)
    {
        if (!IsGzip(gzip))
        {
            throw new TlsRptFormatException(TlsRptProblem.InvalidGzip, source, "the content is not gzip data.");
        }

        if (gzip.Length < 18)
        {
            throw new TlsRptFormatException(TlsRptProblem.InvalidGzip, source, "the gzip data is cut short.");
        }

        using var output = new MemoryStream();
        try
        {
            using var input = new GZipStream(new MemoryStream(gzip, writable: false), CompressionMode.Decompress);
            var buffer = new byte[81920];
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > options.MaxReportBytes)
                {
                    throw TooLarge(source, options, "gzip expands to more than");
                }

                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new TlsRptFormatException(TlsRptProblem.InvalidGzip, source, "the gzip data is damaged: " + ex.Message, ex);
        }

        var isize = BitConverter.ToUInt32(gzip, gzip.Length - 4);
        if (!BitConverter.IsLittleEndian)
        {
            isize = (isize >> 24) | ((isize >> 8) & 0xFF00) | ((isize << 8) & 0xFF0000) | (isize << 24);
        }

        if (isize != (uint)output.Length)
        {
            throw new TlsRptFormatException(TlsRptProblem.InvalidGzip, source, string.Format(
                CultureInfo.InvariantCulture, "the gzip data is cut short or damaged: it expanded to {0} bytes where its trailer says {1}.", output.Length, isize));
        }

        return output.ToArray();
    }

    internal static TlsRptFormatException TooLarge(string source, TlsRptReadOptions options, string what = "the report is larger than") =>
        new(TlsRptProblem.TooLarge, source, string.Format(CultureInfo.InvariantCulture, "{0} the limit of {1} bytes; it is not read.", what, options.MaxReportBytes));

    private static TlsRptReport Read(JsonElement root, string source, TlsRptReadOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw NotAReport(source, "the JSON is not an object");
        }

        var range = Required(root, "date-range", JsonValueKind.Object, source);
        var report = new TlsRptReport(
            RequiredString(root, "organization-name", source),
            RequiredString(root, "report-id", source),
            Date(range, "start-datetime", source),
            Date(range, "end-datetime", source),
            OptionalString(root, "contact-info", source),
            source);

        var policies = Required(root, "policies", JsonValueKind.Array, source);
        if (policies.GetArrayLength() > options.MaxPolicies)
        {
            throw TooMany(source, "policies", policies.GetArrayLength(), options.MaxPolicies);
        }

        var results = new List<TlsRptPolicyResult>();
        var details = 0;
        foreach (var item in policies.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw NotAReport(source, "a policies entry is not an object");
            }

            var policy = Required(item, "policy", JsonValueKind.Object, source);
            var summary = Required(item, "summary", JsonValueKind.Object, source);
            var result = new TlsRptPolicyResult(report)
            {
                PolicyType = RequiredString(policy, "policy-type", source),
                PolicyDomain = RequiredString(policy, "policy-domain", source),
                PolicyString = Strings(policy, "policy-string", source, options),
                MxHost = Strings(policy, "mx-host", source, options),
                TotalSuccessfulSessionCount = Count(summary, "total-successful-session-count", source),
                TotalFailureSessionCount = Count(summary, "total-failure-session-count", source),
            };

            var failures = new List<TlsRptFailureDetail>();
            if (item.TryGetProperty("failure-details", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw NotAReport(source, "failure-details is not a list");
                }

                details += list.GetArrayLength();
                if (details > options.MaxFailureDetails)
                {
                    throw TooMany(source, "failure-details entries", details, options.MaxFailureDetails);
                }

                foreach (var entry in list.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object)
                    {
                        throw NotAReport(source, "a failure-details entry is not an object");
                    }

                    failures.Add(new TlsRptFailureDetail(result)
                    {
                        ResultType = RequiredString(entry, "result-type", source),
                        SendingMtaIp = OptionalString(entry, "sending-mta-ip", source),
                        ReceivingMxHostname = OptionalString(entry, "receiving-mx-hostname", source)?.TrimEnd('.'),
                        ReceivingMxHelo = OptionalString(entry, "receiving-mx-helo", source),
                        ReceivingIp = OptionalString(entry, "receiving-ip", source),
                        FailedSessionCount = Count(entry, "failed-session-count", source),
                        AdditionalInformation = OptionalString(entry, "additional-information", source),
                        // RFC 8460 §4.4 names it failure-reason-code; its Appendix B example, failure-error-code.
                        FailureReasonCode = OptionalString(entry, "failure-reason-code", source) ?? OptionalString(entry, "failure-error-code", source),
                    });
                }
            }

            result.FailureDetails = new ReadableList<TlsRptFailureDetail>(failures, "\n");
            results.Add(result);
        }

        report.Policies = new ReadableList<TlsRptPolicyResult>(results, "\n");
        return report;
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string source)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw NotAReport(source, $"\"{name}\" is missing");
        }

        if (value.ValueKind != kind)
        {
            throw NotAReport(source, $"\"{name}\" is {value.ValueKind}, not {kind}");
        }

        return value;
    }

    private static string RequiredString(JsonElement parent, string name, string source) =>
        Required(parent, name, JsonValueKind.String, source).GetString()!;

    private static string? OptionalString(JsonElement parent, string name, string source)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw NotAReport(source, $"\"{name}\" is {value.ValueKind}, not a string");
    }

    // A list of strings; reporters also send a single string where RFC 8460 has a list.
    private static ReadableList<string> Strings(JsonElement parent, string name, string source, TlsRptReadOptions options)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return ReadableList.Empty<string>();
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return new ReadableList<string>(new[] { value.GetString()! });
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw NotAReport(source, $"\"{name}\" is {value.ValueKind}, not a list of strings");
        }

        if (value.GetArrayLength() > options.MaxListItems)
        {
            throw TooMany(source, "\"" + name + "\" items", value.GetArrayLength(), options.MaxListItems);
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw NotAReport(source, $"an item of \"{name}\" is {item.ValueKind}, not a string"));
        }

        return new ReadableList<string>(items);
    }

    private static long Count(JsonElement parent, string name, string source)
    {
        var value = Required(parent, name, JsonValueKind.Number, source);
        return value.TryGetInt64(out var count) && count >= 0 ? count : throw NotAReport(source, $"\"{name}\" is not a count ({value.GetRawText()})");
    }

    private static DateTimeOffset Date(JsonElement parent, string name, string source)
    {
        var text = RequiredString(parent, name, source);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw NotAReport(source, $"\"{name}\" is not an RFC 3339 date-time ('{text}')");
    }

    private static TlsRptFormatException NotAReport(string source, string why) =>
        new(TlsRptProblem.NotAReport, source, why + ": it is not an RFC 8460 TLS report.");

    private static TlsRptFormatException TooMany(string source, string what, int count, int limit) =>
        new(TlsRptProblem.TooManyEntries, source, string.Format(CultureInfo.InvariantCulture, "{0} {1}, more than the limit of {2}; the report is not read.", count, what, limit));
}
