using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using DanePS.HelpBuilder.Markdown;

namespace DanePS.HelpBuilder.Commands;

/// <summary>
/// Reads a cmdlet page in the format PlatyPS's New-MarkdownHelp writes (schema 2.0.0). Strict on purpose: a
/// section out of order, a parameter without its yaml block, or a syntax block that disagrees with the yaml
/// is an error with the file and line, because Get-Help would otherwise show wrong or missing help.
/// </summary>
internal static partial class CommandHelpParser
{
    /// <summary>The name PowerShell gives the parameter set of a cmdlet that declares none.</summary>
    public const string AllParameterSets = "__AllParameterSets";

    private static readonly string[] SectionOrder =
    {
        "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS",
    };

    private static readonly HashSet<string> YamlKeys = new(StringComparer.Ordinal)
    {
        "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters",
    };

    private static readonly string[] RequiredYamlKeys = { "Type", "Parameter Sets", "Required", "Position", "Accept pipeline input", "Accept wildcard characters" };

    public static CommandHelp Parse(MarkdownSource source, HelpBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        CheckFrontMatter(source, options);

        var blocks = source.Blocks;
        if (blocks.Count == 0 || !blocks[0].IsHeading(1))
        {
            throw source.Error(blocks.Count == 0 ? 1 : blocks[0].Line, "a cmdlet page starts with '# Verb-Noun' (after the front matter).");
        }

        var name = blocks[0].Text;
        if (!CommandName().IsMatch(name))
        {
            throw source.Error(blocks[0], $"'{name}' is not a Verb-Noun cmdlet name.");
        }

        if (!string.Equals(name, source.BaseName, StringComparison.Ordinal))
        {
            throw source.Error(blocks[0], $"the page documents '{name}' but the file is named '{source.BaseName}.md'; they must agree.");
        }

        var sections = SplitSections(source, blocks);
        var syntax = ParseSyntax(source, sections["SYNTAX"], name);
        var parameters = ParseParameters(source, sections["PARAMETERS"], syntax);
        CheckSyntaxAgainstParameters(source, syntax, parameters);

        return new CommandHelp
        {
            Name = name,
            SourcePath = source.Path,
            OnlineVersion = source.FrontMatter.TryGetValue("online version", out var online) && online.Value.Length > 0 ? online.Value : null,
            Synopsis = ParseText(source, sections["SYNOPSIS"], allowCode: false, required: true),
            Syntax = syntax,
            Description = ParseText(source, sections["DESCRIPTION"], allowCode: true, required: true),
            Examples = ParseExamples(source, sections["EXAMPLES"]),
            Parameters = parameters,
            Inputs = ParseTypes(source, sections["INPUTS"]),
            Outputs = ParseTypes(source, sections["OUTPUTS"]),
            Notes = ParseText(source, sections["NOTES"], allowCode: true, required: false),
            RelatedLinks = ParseLinks(source, sections["RELATED LINKS"]),
        };
    }

    private static void CheckFrontMatter(MarkdownSource source, HelpBuildOptions options)
    {
        if (source.FrontMatter.Count == 0)
        {
            throw source.Error(1, $"a cmdlet page starts with front matter: '---', 'external help file: {options.ExternalHelpFile}', 'Module Name: {options.ModuleName}', '---'.");
        }

        Expect("external help file", options.ExternalHelpFile, "the MAML file is named after the assembly that defines the cmdlets");
        Expect("Module Name", options.ModuleName, "the module the cmdlet belongs to");
        if (source.FrontMatter.TryGetValue("schema", out var schema) && schema.Value != "2.0.0")
        {
            throw source.Error(schema.Line, $"schema '{schema.Value}' is not supported; write 'schema: 2.0.0'.");
        }

        void Expect(string key, string value, string why)
        {
            if (!source.FrontMatter.TryGetValue(key, out var entry))
            {
                throw source.Error(1, $"the front matter has no '{key}: {value}' ({why}).");
            }

            if (!string.Equals(entry.Value, value, StringComparison.Ordinal))
            {
                throw source.Error(entry.Line, $"'{key}' is '{entry.Value}' but must be '{value}' ({why}).");
            }
        }
    }

    private static Dictionary<string, Section> SplitSections(MarkdownSource source, IReadOnlyList<MarkdownBlock> blocks)
    {
        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        Section? current = null;
        for (var i = 1; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.IsHeading(1))
            {
                throw source.Error(block, $"a second '# ' heading ('{block.Text}'): a page documents one cmdlet.");
            }

            if (block.IsHeading(2))
            {
                var expected = sections.Count < SectionOrder.Length ? SectionOrder[sections.Count] : null;
                if (!string.Equals(block.Text, expected, StringComparison.Ordinal))
                {
                    var why = Array.IndexOf(SectionOrder, block.Text) switch
                    {
                        -1 => $"'## {block.Text}' is not a section of a cmdlet page",
                        var known when known < sections.Count => $"'## {block.Text}' appears twice or out of order",
                        _ => $"'## {block.Text}' is out of order",
                    };
                    throw source.Error(block, expected is null
                        ? $"{why}; '## RELATED LINKS' is the last section."
                        : $"{why}; expected '## {expected}' here (sections: {string.Join(", ", SectionOrder)}).");
                }

                current = new Section(block, new List<MarkdownBlock>());
                sections.Add(block.Text, current);
                continue;
            }

            if (current is null)
            {
                throw source.Error(block, "text between the '# ' title and '## SYNOPSIS': put it under a section.");
            }

            current.Body.Add(block);
        }

        if (sections.Count < SectionOrder.Length)
        {
            var last = blocks[blocks.Count - 1].Line;
            throw source.Error(last, $"the page ends without '## {SectionOrder[sections.Count]}' (sections: {string.Join(", ", SectionOrder)}).");
        }

        return sections;
    }

    private static List<string> ParseText(MarkdownSource source, Section section, bool allowCode, bool required)
    {
        foreach (var block in section.Body)
        {
            if (block.Kind == MarkdownBlockKind.Heading)
            {
                throw source.Error(block, $"no subheadings under '## {section.Heading.Text}'.");
            }

            if (block.Kind == MarkdownBlockKind.Code && !allowCode)
            {
                throw source.Error(block, $"no code blocks under '## {section.Heading.Text}'.");
            }
        }

        if (required && section.Body.Count == 0)
        {
            throw source.Error(section.Heading, $"'## {section.Heading.Text}' is empty.");
        }

        return Prose.Paragraphs(section.Body);
    }

    private static List<SyntaxItem> ParseSyntax(MarkdownSource source, Section section, string commandName)
    {
        var items = new List<SyntaxItem>();
        var body = section.Body;
        if (body.Count == 0)
        {
            throw source.Error(section.Heading, "'## SYNTAX' is empty: give a code block per parameter set.");
        }

        if (body[0].Kind == MarkdownBlockKind.Code)
        {
            // A cmdlet without named parameter sets: one code block, no '###' heading.
            if (body.Count > 1)
            {
                throw source.Error(body[1], "a cmdlet with several parameter sets gives each one as '### SetName' followed by its code block.");
            }

            items.Add(new SyntaxItem(AllParameterSets, true, SyntaxParameters(source, body[0], commandName), body[0].Line));
            return items;
        }

        for (var i = 0; i < body.Count; i++)
        {
            var heading = body[i];
            if (!heading.IsHeading(3))
            {
                throw source.Error(heading, "under '## SYNTAX', each parameter set is '### SetName' (or '### SetName (Default)') followed by one code block.");
            }

            var match = SyntaxHeading().Match(heading.Text);
            var setName = match.Groups["name"].Value;
            if (items.Any(s => string.Equals(s.ParameterSetName, setName, StringComparison.Ordinal)))
            {
                throw source.Error(heading, $"parameter set '{setName}' appears twice.");
            }

            var isDefault = match.Groups["default"].Success;
            if (isDefault && items.Any(s => s.IsDefault))
            {
                throw source.Error(heading, "only one parameter set can be '(Default)'.");
            }

            if (i + 1 >= body.Count || body[i + 1].Kind != MarkdownBlockKind.Code)
            {
                throw source.Error(heading, $"'### {heading.Text}' must be followed by a code block with the syntax line.");
            }

            var code = body[++i];
            items.Add(new SyntaxItem(setName, isDefault, SyntaxParameters(source, code, commandName), code.Line));
        }

        return items;
    }

    private static List<string> SyntaxParameters(MarkdownSource source, MarkdownBlock code, string commandName)
    {
        var line = string.Join(" ", code.Lines.Select(l => l.Trim())).Trim();
        if (!line.StartsWith(commandName + " ", StringComparison.Ordinal) && line != commandName)
        {
            throw source.Error(code, $"the syntax line must start with '{commandName}'.");
        }

        var names = new List<string>();
        foreach (Match m in SyntaxParameter().Matches(line))
        {
            var name = m.Groups["name"].Value;
            if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw source.Error(code, $"-{name} appears twice in the syntax line.");
            }

            names.Add(name);
        }

        return names;
    }

    private static List<ExampleHelp> ParseExamples(MarkdownSource source, Section section)
    {
        var examples = new List<ExampleHelp>();
        foreach (var (heading, body) in Subsections(source, section))
        {
            var title = ExampleHeading().Match(heading.Text);
            if (!title.Success)
            {
                throw source.Error(heading, $"'### {heading.Text}' is not an example heading: write '### Example {examples.Count + 1}: what it does'.");
            }

            if (int.Parse(title.Groups["number"].Value, CultureInfo.InvariantCulture) != examples.Count + 1)
            {
                throw source.Error(heading, $"examples are numbered in order: this one should be 'Example {examples.Count + 1}'.");
            }

            var code = body.Where(b => b.Kind == MarkdownBlockKind.Code).ToList();
            if (code.Count == 0)
            {
                throw source.Error(heading, $"'### {heading.Text}' has no code block.");
            }

            examples.Add(new ExampleHelp(
                heading.Text,
                string.Join("\n\n", code.Select(c => Prose.Code(c.Lines))),
                Prose.Paragraphs(body.Where(b => b.Kind == MarkdownBlockKind.Paragraph))));
        }

        if (examples.Count == 0)
        {
            throw source.Error(section.Heading, "'## EXAMPLES' has no '### Example 1: …'; every cmdlet shows at least one.");
        }

        return examples;
    }

    private static List<ParameterHelp> ParseParameters(MarkdownSource source, Section section, IReadOnlyList<SyntaxItem> syntax)
    {
        var parameters = new List<ParameterHelp>();
        var sawCommon = false;
        foreach (var (heading, body) in Subsections(source, section))
        {
            if (sawCommon)
            {
                throw source.Error(heading, "'### CommonParameters' is the last entry under '## PARAMETERS'.");
            }

            if (heading.Text == "CommonParameters")
            {
                sawCommon = true;
                if (body.Any(b => b.Kind != MarkdownBlockKind.Paragraph))
                {
                    throw source.Error(heading, "'### CommonParameters' holds only its sentence about the common parameters.");
                }

                continue;
            }

            var nameMatch = ParameterHeading().Match(heading.Text);
            if (!nameMatch.Success)
            {
                throw source.Error(heading, $"'### {heading.Text}' is not a parameter heading: write '### -Name' (or '### CommonParameters').");
            }

            var name = nameMatch.Groups["name"].Value;
            if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw source.Error(heading, $"-{name} is documented twice.");
            }

            var description = new List<MarkdownBlock>();
            var metadata = new List<ParameterMetadata>();
            foreach (var block in body)
            {
                if (block.Kind == MarkdownBlockKind.Code && block.Text == "yaml")
                {
                    metadata.Add(ParseYaml(source, block, name, syntax, metadata));
                }
                else if (metadata.Count > 0)
                {
                    throw source.Error(block, $"text after the yaml block of -{name}: the description comes first, then the yaml block(s).");
                }
                else
                {
                    description.Add(block);
                }
            }

            if (description.Count == 0)
            {
                throw source.Error(heading, $"-{name} has no description: say what it is for before its yaml block.");
            }

            if (metadata.Count == 0)
            {
                throw source.Error(heading, $"-{name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters).");
            }

            parameters.Add(new ParameterHelp(name, Prose.Paragraphs(description), metadata, heading.Line));
        }

        if (!sawCommon)
        {
            throw source.Error(section.Heading, "'## PARAMETERS' ends with '### CommonParameters' and its sentence.");
        }

        return parameters;
    }

    private static ParameterMetadata ParseYaml(MarkdownSource source, MarkdownBlock block, string parameter, IReadOnlyList<SyntaxItem> syntax, List<ParameterMetadata> earlier)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        for (var i = 0; i < block.Lines.Count; i++)
        {
            var lineNumber = block.Line + 1 + i;
            var line = block.Lines[i];
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var match = YamlLine().Match(line);
            if (!match.Success)
            {
                throw source.Error(lineNumber, $"'{line.Trim()}' is not a 'Key: value' line.");
            }

            var key = match.Groups["key"].Value;
            if (!YamlKeys.Contains(key))
            {
                throw source.Error(lineNumber, $"'{key}' is not a parameter key; the keys are: {string.Join(", ", YamlKeys)}.");
            }

            if (!values.TryAdd(key, (match.Groups["value"].Value.Trim(), lineNumber)))
            {
                throw source.Error(lineNumber, $"'{key}' appears twice.");
            }
        }

        foreach (var key in RequiredYamlKeys)
        {
            if (!values.ContainsKey(key))
            {
                throw source.Error(block, $"the yaml block of -{parameter} has no '{key}:'.");
            }
        }

        string Value(string key) => values.TryGetValue(key, out var v) ? v.Value : string.Empty;
        int LineOf(string key) => values.TryGetValue(key, out var v) ? v.Line : block.Line;

        var type = Value("Type");
        if (!TypeName().IsMatch(type))
        {
            throw source.Error(LineOf("Type"), $"'{type}' is not a type name (e.g. String, String[], Int32, SwitchParameter, X509Certificate2[]).");
        }

        var setsText = Value("Parameter Sets");
        var all = setsText == "(All)";
        var sets = all ? new List<string>() : List(setsText);
        if (!all)
        {
            if (sets.Count == 0)
            {
                throw source.Error(LineOf("Parameter Sets"), "'Parameter Sets' is '(All)' or a comma-separated list of the sets under '## SYNTAX'.");
            }

            foreach (var set in sets)
            {
                if (!syntax.Any(s => string.Equals(s.ParameterSetName, set, StringComparison.Ordinal)))
                {
                    throw source.Error(LineOf("Parameter Sets"), $"parameter set '{set}' is not under '## SYNTAX' (sets: {string.Join(", ", syntax.Select(s => s.ParameterSetName))}).");
                }
            }
        }

        foreach (var other in earlier)
        {
            if (all || other.AllParameterSets || other.ParameterSets.Intersect(sets, StringComparer.Ordinal).Any())
            {
                throw source.Error(LineOf("Parameter Sets"), $"-{parameter} already has a yaml block for these parameter sets (line {other.Line}).");
            }

            if (!string.Equals(other.Type, type, StringComparison.Ordinal))
            {
                throw source.Error(LineOf("Type"), $"-{parameter} is '{other.Type}' in its first yaml block and '{type}' here: a parameter has one type.");
            }
        }

        var aliases = List(Value("Aliases"));
        foreach (var alias in aliases)
        {
            if (!Identifier().IsMatch(alias))
            {
                throw source.Error(LineOf("Aliases"), $"'{alias}' is not an alias name.");
            }
        }

        var positionText = Value("Position");
        int? position = positionText == "Named" ? null
            : int.TryParse(positionText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p
            : throw source.Error(LineOf("Position"), $"'Position' is 'Named' or a number, not '{positionText}'.");

        var pipelineInput = Value("Accept pipeline input");
        if (!PipelineInput().IsMatch(pipelineInput))
        {
            throw source.Error(LineOf("Accept pipeline input"), $"'Accept pipeline input' is 'False', 'True (ByValue)', 'True (ByPropertyName)' or 'True (ByPropertyName, ByValue)', not '{pipelineInput}'.");
        }

        var defaultValue = Value("Default value");
        return new ParameterMetadata(
            type,
            all,
            sets,
            aliases,
            List(Value("Accepted values")),
            Boolean(source, "Required", Value("Required"), LineOf("Required")),
            position,
            defaultValue.Length == 0 ? "None" : defaultValue,
            pipelineInput,
            Boolean(source, "Accept wildcard characters", Value("Accept wildcard characters"), LineOf("Accept wildcard characters")),
            block.Line);
    }

    /// <summary>The syntax line of each set must list exactly the parameters whose yaml puts them in that set.</summary>
    private static void CheckSyntaxAgainstParameters(MarkdownSource source, IReadOnlyList<SyntaxItem> syntax, IReadOnlyList<ParameterHelp> parameters)
    {
        foreach (var item in syntax)
        {
            foreach (var name in item.ParameterNames)
            {
                var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw source.Error(item.Line, $"the syntax of set '{item.ParameterSetName}' lists -{name}, which has no '### -{name}' under '## PARAMETERS'.");
                if (parameter.In(item.ParameterSetName) is null)
                {
                    throw source.Error(item.Line, $"the syntax of set '{item.ParameterSetName}' lists -{name}, but the yaml of -{name} (line {parameter.Line}) does not put it in that set.");
                }
            }

            var positions = new Dictionary<int, string>();
            foreach (var parameter in parameters)
            {
                var metadata = parameter.In(item.ParameterSetName);
                if (metadata is null)
                {
                    continue;
                }

                if (!item.ParameterNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                {
                    throw source.Error(item.Line, $"-{parameter.Name} is in set '{item.ParameterSetName}' by its yaml (line {metadata.Line}) but missing from that set's syntax line.");
                }

                if (metadata.Position is { } position && !positions.TryAdd(position, parameter.Name))
                {
                    throw source.Error(metadata.Line, $"-{parameter.Name} and -{positions[position]} both claim position {position} in set '{item.ParameterSetName}'.");
                }
            }
        }
    }

    private static List<TypeHelp> ParseTypes(MarkdownSource source, Section section)
    {
        var types = new List<TypeHelp>();
        foreach (var (heading, body) in Subsections(source, section))
        {
            if (body.Any(b => b.Kind == MarkdownBlockKind.Code))
            {
                throw source.Error(body.First(b => b.Kind == MarkdownBlockKind.Code), $"no code blocks under '## {section.Heading.Text}'.");
            }

            types.Add(new TypeHelp(heading.Text, Prose.Paragraphs(body)));
        }

        if (types.Count == 0)
        {
            throw source.Error(section.Heading, $"'## {section.Heading.Text}' lists each type as '### Type.Name' (or '### None').");
        }

        return types;
    }

    private static List<RelatedLink> ParseLinks(MarkdownSource source, Section section)
    {
        var links = new List<RelatedLink>();
        foreach (var block in section.Body)
        {
            if (block.Kind != MarkdownBlockKind.Paragraph)
            {
                throw source.Error(block, "'## RELATED LINKS' holds only links, one a line: [Text](address).");
            }

            for (var i = 0; i < block.Lines.Count; i++)
            {
                var match = LinkLine().Match(block.Lines[i].Trim());
                if (!match.Success)
                {
                    throw source.Error(block.Line + i, $"'{block.Lines[i].Trim()}' is not a link line: write [Text](address) or [Text]().");
                }

                links.Add(new RelatedLink(match.Groups["text"].Value, match.Groups["uri"].Value));
            }
        }

        return links;
    }

    /// <summary>The '###' entries of a section; anything before the first, or a deeper heading, is an error.</summary>
    private static IEnumerable<(MarkdownBlock Heading, List<MarkdownBlock> Body)> Subsections(MarkdownSource source, Section section)
    {
        MarkdownBlock? heading = null;
        var body = new List<MarkdownBlock>();
        foreach (var block in section.Body)
        {
            if (block.IsHeading(3))
            {
                if (heading is not null)
                {
                    yield return (heading, body);
                }

                heading = block;
                body = new List<MarkdownBlock>();
                continue;
            }

            if (block.Kind == MarkdownBlockKind.Heading)
            {
                throw source.Error(block, $"only '###' headings under '## {section.Heading.Text}'.");
            }

            if (heading is null)
            {
                throw source.Error(block, $"text under '## {section.Heading.Text}' before its first '###' entry.");
            }

            body.Add(block);
        }

        if (heading is not null)
        {
            yield return (heading, body);
        }
    }

    private static bool Boolean(MarkdownSource source, string key, string value, int line) => value switch
    {
        "True" => true,
        "False" => false,
        _ => throw source.Error(line, $"'{key}' is True or False, not '{value}'."),
    };

    private static List<string> List(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private sealed record Section(MarkdownBlock Heading, List<MarkdownBlock> Body);

    [GeneratedRegex(@"^[A-Z][A-Za-z]+-[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"^(?<name>[^\s()]+)(?<default> \(Default\))?$")]
    private static partial Regex SyntaxHeading();

    [GeneratedRegex(@"(?<=[\s\[])-(?<name>[A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex SyntaxParameter();

    [GeneratedRegex(@"^Example (?<number>\d{1,3})(: \S.*)?$")]
    private static partial Regex ExampleHeading();

    [GeneratedRegex(@"^-(?<name>[A-Za-z][A-Za-z0-9_]*)$")]
    private static partial Regex ParameterHeading();

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z ]*):(?<value>.*)$")]
    private static partial Regex YamlLine();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.]*(\[\])?$")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^(False|True \((ByValue|ByPropertyName|ByPropertyName, ByValue|ByValue, ByPropertyName)\))$")]
    private static partial Regex PipelineInput();

    [GeneratedRegex(@"^\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)$")]
    private static partial Regex LinkLine();
}
