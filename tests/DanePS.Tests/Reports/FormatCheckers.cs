using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>
/// The real tools that read each format, as the systems that consume reports do: Python's jsonschema and
/// prometheus_client parser, promtool, xmllint, and a headless Chromium (Debian packages, .ci/install-test-deps.sh).
/// </summary>
internal static class FormatCheckers
{
    private static readonly RequiredProgram Shell = new("/bin/sh", "dash");
    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static string SchemaPath => Path.Combine(ModuleSession.RepoRoot, "docs", "schemas", "dane-report.schema.json");

    public static string JUnitXsdPath => Path.Combine(ModuleSession.RepoRoot, "tests", "DanePS.Tests", "Reports", "junit.xsd");

    private const string JsonSchemaScript = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1], encoding='utf-8'))
        jsonschema.Draft202012Validator.check_schema(schema)
        doc = json.load(open(sys.argv[2], encoding='utf-8'))
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            print('/'.join(map(str, e.absolute_path)) + ': ' + e.message)
        sys.exit(1 if errors else 0)
        """;

    private const string PrometheusScript = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        text = open(sys.argv[1], encoding='utf-8').read()
        out = []
        for f in text_string_to_metric_families(text):
            out.append({'name': f.name, 'type': f.type, 'help': f.documentation,
                        'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]})
        print(json.dumps(out))
        """;

    /// <summary>The schema violations of a JSON report (empty when it is valid).</summary>
    public static async Task<string> JsonSchemaErrorsAsync(string json)
    {
        using var file = new TempFile(".json", json);
        var result = await ExternalCommand.RunAsync(RequiredProgram.Python3, new[] { "-c", JsonSchemaScript, SchemaPath, file.Path }, Deadline);
        Assert.True(result.ExitCode is 0 or 1, "jsonschema did not run: " + result.CombinedOutput);
        return result.ExitCode == 0 ? string.Empty : result.CombinedOutput;
    }

    /// <summary>The metric families as the Prometheus Python client's text parser reads them.</summary>
    public static async Task<List<MetricFamily>> ParsePrometheusAsync(string text)
    {
        using var file = new TempFile(".prom", text);
        var result = await ExternalCommand.RunAsync(RequiredProgram.Python3, new[] { "-c", PrometheusScript, file.Path }, Deadline);
        Assert.True(result.ExitCode == 0, "prometheus_client could not parse the exposition:\n" + result.CombinedOutput + "\n---\n" + text);
        return JsonSerializer.Deserialize<List<MetricFamily>>(result.StandardOutput, CaseInsensitive)!;
    }

    /// <summary>promtool check metrics: its exit code and what it says (lint problems and parse errors).</summary>
    public static async Task<ExternalCommandResult> PromtoolAsync(string text)
    {
        RequiredProgram.Promtool.Locate();
        using var file = new TempFile(".prom", text);
        return await ExternalCommand.RunAsync(Shell, new[] { "-c", "exec /usr/bin/promtool check metrics < \"$1\"", "sh", file.Path }, Deadline);
    }

    /// <summary>xmllint --schema: exit code 0 when the document is valid.</summary>
    public static async Task<ExternalCommandResult> XmllintAsync(string xml, string xsd)
    {
        using var file = new TempFile(".xml", xml);
        return await ExternalCommand.RunAsync(RequiredProgram.Xmllint, new[] { "--noout", "--schema", xsd, file.Path }, Deadline);
    }

    /// <summary>Chromium's headless arguments: as root it needs --no-sandbox; no GPU, no first-run, nothing fetched.</summary>
    private static IEnumerable<string> Headless(string profile) => new[]
    {
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
        "--disable-extensions", "--disable-background-networking", "--user-data-dir=" + profile,
    };

    /// <summary>The DOM after Chromium has loaded the page (and run whatever script it would run).</summary>
    public static async Task<string> DumpDomAsync(string htmlFile)
    {
        var profile = Directory.CreateTempSubdirectory("daneps-chromium-").FullName;
        try
        {
            var result = await ExternalCommand.RunAsync(RequiredProgram.Chromium, Headless(profile).Concat(new[] { "--dump-dom", new Uri(htmlFile).AbsoluteUri }), Deadline);
            Assert.True(result.ExitCode == 0 && result.StandardOutput.Length > 0, "chromium --dump-dom failed:\n" + result.CombinedOutput);
            return result.StandardOutput;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    /// <summary>A PNG screenshot of the page at the window size; returns the PNG's pixel size.</summary>
    public static async Task<(int Width, int Height, long Bytes)> ScreenshotAsync(string htmlFile, string png, int width, int height)
    {
        var profile = Directory.CreateTempSubdirectory("daneps-chromium-").FullName;
        try
        {
            var result = await ExternalCommand.RunAsync(RequiredProgram.Chromium,
                Headless(profile).Concat(new[] { "--screenshot=" + png, $"--window-size={width},{height}", new Uri(htmlFile).AbsoluteUri }), Deadline);
            Assert.True(result.ExitCode == 0 && File.Exists(png), "chromium --screenshot failed:\n" + result.CombinedOutput);
            var header = new byte[24];
            using (var stream = File.OpenRead(png))
            {
                Assert.Equal(24, stream.Read(header, 0, 24));
            }

            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, header[..4]);
            static int BigEndian(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
            return (BigEndian(header, 16), BigEndian(header, 20), new FileInfo(png).Length);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    internal sealed class MetricFamily
    {
        public string Name { get; set; } = string.Empty;

        public string Type { get; set; } = string.Empty;

        public string Help { get; set; } = string.Empty;

        public List<MetricSample> Samples { get; set; } = new();
    }

    internal sealed class MetricSample
    {
        public string Name { get; set; } = string.Empty;

        public Dictionary<string, string> Labels { get; set; } = new();

        public double Value { get; set; }
    }

    /// <summary>A file with the given text, deleted on dispose.</summary>
    internal sealed class TempFile : IDisposable
    {
        public TempFile(string extension, string text)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "daneps-report-" + Guid.NewGuid().ToString("N") + extension);
            File.WriteAllText(Path, text);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
