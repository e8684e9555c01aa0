using System.Collections.Generic;
using System.Linq;

namespace DanePS.HelpBuilder.Commands;

/// <summary>One cmdlet's help, as read from its markdown page.</summary>
internal sealed class CommandHelp
{
    public required string Name { get; init; }

    public required string SourcePath { get; init; }

    public string Verb => Name.Substring(0, Name.IndexOf('-', System.StringComparison.Ordinal));

    public string Noun => Name.Substring(Name.IndexOf('-', System.StringComparison.Ordinal) + 1);

    public required string? OnlineVersion { get; init; }

    public required IReadOnlyList<string> Synopsis { get; init; }

    public required IReadOnlyList<SyntaxItem> Syntax { get; init; }

    public required IReadOnlyList<string> Description { get; init; }

    public required IReadOnlyList<ExampleHelp> Examples { get; init; }

    public required IReadOnlyList<ParameterHelp> Parameters { get; init; }

    public required IReadOnlyList<TypeHelp> Inputs { get; init; }

    public required IReadOnlyList<TypeHelp> Outputs { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    public required IReadOnlyList<RelatedLink> RelatedLinks { get; init; }
}

/// <summary>A parameter set as the SYNTAX section shows it: its name and its parameters in the order written.</summary>
internal sealed record SyntaxItem(string ParameterSetName, bool IsDefault, IReadOnlyList<string> ParameterNames, int Line);

/// <summary>"### Example 1: …": the code and what it does.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>"### -Name": the text and one metadata block per group of parameter sets.</summary>
internal sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterMetadata> Metadata, int Line)
{
    /// <summary>The metadata that applies in a parameter set, or null when the parameter is not in it.</summary>
    public ParameterMetadata? In(string parameterSetName)
    {
        foreach (var metadata in Metadata)
        {
            if (metadata.AllParameterSets || metadata.ParameterSets.Contains(parameterSetName, System.StringComparer.Ordinal))
            {
                return metadata;
            }
        }

        return null;
    }
}

/// <summary>One ```yaml block of a parameter.</summary>
internal sealed record ParameterMetadata(
    string Type,
    bool AllParameterSets,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    int? Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing,
    int Line)
{
    public bool IsSwitch => Type is "SwitchParameter" or "Switch";
}

/// <summary>An INPUTS or OUTPUTS entry.</summary>
internal sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

internal sealed record RelatedLink(string Text, string Uri);
