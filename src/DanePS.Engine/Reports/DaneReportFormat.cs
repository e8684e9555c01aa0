namespace DanePS.Engine.Reports;

/// <summary>The formats ConvertTo-DaneReport writes: what other monitoring, CI and people already read.</summary>
public enum DaneReportFormat
{
    /// <summary>JSON with enums as strings, described by docs/schemas/dane-report.schema.json.</summary>
    Json,
    /// <summary>Nagios/Icinga plugin output: status line with perfdata, then one line per endpoint that is not OK.</summary>
    Nagios,
    /// <summary>Prometheus text exposition format, for node_exporter's textfile collector.</summary>
    Prometheus,
    /// <summary>JUnit XML: one test case per endpoint, for CI systems.</summary>
    JUnit,
    /// <summary>Markdown tables, for issues, wikis and chat.</summary>
    Markdown,
    /// <summary>A self-contained HTML page a person opens in a browser.</summary>
    Html,
}
