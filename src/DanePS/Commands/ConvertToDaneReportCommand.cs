using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Reports;
using Microsoft.PowerShell.Commands;

namespace DanePS.Commands;

/// <summary>
/// <para type="synopsis">Writes DANE results in the formats other systems read: JSON, Nagios/Icinga plugin output, Prometheus textfile metrics, JUnit XML, Markdown or an HTML page.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "DaneReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string))]
public sealed class ConvertToDaneReportCommand : DanePSCmdlet
{
    private readonly List<object> _results = new();

    /// <summary>Results of Test-DaneEndpoint, Test-DaneMailDomain, Get-TlsaRecord or Invoke-DaneMonitor, usually piped in.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    [AllowNull]
    public PSObject[]? InputObject { get; set; }

    /// <summary>The format.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public DaneReportFormat Format { get; set; }

    /// <summary>Writes the report to this file (atomically: a temporary file in the same folder, then a rename) instead of the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>With -Path, also writes the report to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in InputObject ?? Array.Empty<PSObject>())
        {
            switch (item?.BaseObject)
            {
                case DaneEndpointResult or DaneMailDomainResult or TlsaRecordSet:
                    _results.Add(item.BaseObject);
                    break;
                case Engine.TlsRpt.TlsRptSummary:
                    // Invoke-DaneMonitor's TLS-RPT summaries tell of senders' past sessions, not of a check: not in the report.
                    break;
                case not null when item.Properties["ExitCode"] is not null:
                    // Invoke-DaneMonitor's closing summary: the report makes its own status from the results.
                    break;
                default:
                    WriteError(
                        new ArgumentException($"ConvertTo-DaneReport takes what Test-DaneEndpoint, Test-DaneMailDomain, Get-TlsaRecord and Invoke-DaneMonitor write, not {item?.BaseObject?.GetType().FullName ?? "null"}."),
                        ErrorIds.ConvertToDaneReportUnsupportedInput,
                        ErrorCategory.InvalidType,
                        item);
                    break;
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var report = new DaneReport();
        foreach (var result in _results)
        {
            switch (result)
            {
                case DaneEndpointResult endpoint:
                    report.Add(endpoint);
                    break;
                case DaneMailDomainResult domain:
                    report.Add(domain);
                    break;
                case TlsaRecordSet set:
                    report.Add(set);
                    break;
            }
        }

        var text = PSObject.AsPSObject(report.Write(Format));
        text.Properties.Add(new PSNoteProperty("ExitCode", report.ExitCode));
        text.Properties.Add(new PSNoteProperty("Status", report.Status));
        text.Properties.Add(new PSNoteProperty("Format", Format));
        if (Path is null)
        {
            WriteObject(text);
            return;
        }

        if (WriteFile(Path, (string)text.BaseObject) && PassThru)
        {
            WriteObject(text);
        }
    }

    private bool WriteFile(string path, string content)
    {
        string file;
        try
        {
            file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.ImplementingType != typeof(FileSystemProvider))
            {
                WriteError(new ArgumentException($"'{path}' is a {provider.Name} path, not a file."), ErrorIds.ConvertToDaneReportNotAFile, ErrorCategory.InvalidArgument, path);
                return false;
            }
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException
            or ArgumentException or NotSupportedException or PSArgumentException or PSNotSupportedException)
        {
            WriteError(new ArgumentException($"'{path}' is not a path a report can be written to: {ex.Message}", nameof(path), ex), ErrorIds.ConvertToDaneReportNotAFile, ErrorCategory.InvalidArgument, path);
            return false;
        }

        if (Directory.Exists(file))
        {
            WriteError(new ArgumentException($"'{file}' is a directory: give the report's file name."), ErrorIds.ConvertToDaneReportNotAFile, ErrorCategory.InvalidArgument, path);
            return false;
        }

        if (!ShouldProcess(file, $"Write the {Format} report"))
        {
            return false;
        }

        try
        {
            AtomicFile.WriteAllText(file, content);
            WriteVerbose($"Wrote the {Format} report to {file}.");
            return true;
        }
        catch (UnauthorizedAccessException ex)
        {
            WriteError(new UnauthorizedAccessException($"The report cannot be written to '{file}': {ex.Message}", ex), ErrorIds.ConvertToDaneReportWriteFailed, ErrorCategory.PermissionDenied, path);
        }
        catch (IOException ex)
        {
            WriteError(new IOException($"The report cannot be written to '{file}': {ex.Message} The file is unchanged.", ex), ErrorIds.ConvertToDaneReportWriteFailed, ErrorCategory.WriteError, path);
        }

        return false;
    }
}
