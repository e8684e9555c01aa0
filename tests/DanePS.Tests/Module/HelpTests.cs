using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using DanePS.HelpBuilder;
using DanePS.HelpBuilder.About;
using DanePS.HelpBuilder.Commands;
using DanePS.HelpBuilder.Markdown;
using Xunit;

namespace DanePS.Tests.Module;

/// <summary>
/// Get-Help, through the hosted runspace, for every cmdlet the module exports: a new cmdlet (or parameter) without
/// a docs/help page fails here. The host's UI culture is invariant; PowerShell's help lookup then tries the module
/// folder itself, then en-US and en, so the en-US files are found as on an English system.
/// </summary>
public class HelpTests : IDisposable
{
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public void The_module_ships_the_MAML_file_named_for_the_cmdlet_assembly_and_the_about_topic()
    {
        var cultureFolder = Path.Combine(ModuleSession.ModuleDirectory, "en-US");
        var assembly = _session.Run<Assembly>("(Get-Command -Name Test-TlsaRecord -Module DanePS).ImplementingType.Assembly").Single();
        Assert.True(File.Exists(Path.Combine(cultureFolder, Path.GetFileName(assembly.Location) + "-Help.xml")), "en-US/DanePS.dll-Help.xml is missing from the module folder");
        Assert.True(File.Exists(Path.Combine(cultureFolder, "about_DanePS.help.txt")), "en-US/about_DanePS.help.txt is missing from the module folder");
        Assert.All(Cmdlets(), c => Assert.Equal("DanePS.dll-Help.xml", Path.GetFileName(c.HelpFile)));
    }

    [Fact]
    public void Every_cmdlet_has_full_help_with_synopsis_description_examples_and_every_parameter()
    {
        var cmdlets = Cmdlets();
        Assert.NotEmpty(cmdlets);
        var problems = new List<string>();
        foreach (var cmdlet in cmdlets)
        {
            problems.AddRange(HelpProblems(cmdlet));
        }

        Assert.True(problems.Count == 0, "Incomplete help; write or fix docs/help/<Cmdlet-Name>.md (see docs/help/README.md):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Documented_parameter_sets_and_attributes_match_the_cmdlets()
    {
        var problems = new List<string>();
        foreach (var cmdlet in Cmdlets())
        {
            problems.AddRange(SyntaxProblems(cmdlet));
        }

        Assert.True(problems.Count == 0, "The help disagrees with the cmdlets (fix the SYNTAX blocks and yaml blocks in docs/help):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_error_id_is_documented_in_its_cmdlets_help()
    {
        var assembly = _session.Run<Assembly>("(Get-Command -Name Test-TlsaRecord -Module DanePS).ImplementingType.Assembly").Single();
        var errorIds = ErrorIdConstants(assembly);
        Assert.NotEmpty(errorIds);
        var nouns = Cmdlets().ToDictionary(c => c.Name.Replace("-", string.Empty, StringComparison.Ordinal), c => c.Name);
        var about = AboutText();
        var problems = new List<string>();
        foreach (var id in errorIds)
        {
            var owner = nouns.Keys.Where(n => id.StartsWith(n, StringComparison.Ordinal)).OrderByDescending(n => n.Length).FirstOrDefault();
            var text = owner is null ? about : string.Join("\n", AllText(_session.Run("Get-Help -Name $n -Full", Vars(("n", nouns[owner]))).Single()));
            if (!text.Contains(id, StringComparison.Ordinal))
            {
                problems.Add(owner is null ? $"{id} is in no cmdlet's name and not in about_DanePS" : $"{nouns[owner]}: ErrorId {id} is not in its help (list it under ## NOTES)");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_dns_and_tls_failure_has_an_error_id_constant_named_after_the_cmdlet_and_the_failure()
    {
        var assembly = _session.Run<Assembly>("(Get-Command -Name Test-TlsaRecord -Module DanePS).ImplementingType.Assembly").Single();
        var constants = ErrorIdConstants(assembly).ToHashSet(StringComparer.Ordinal);
        var mappings = assembly.GetType("DanePS.ErrorIds", throwOnError: true)!
            .GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(string) && m.GetParameters() is [{ ParameterType.IsEnum: true }])
            .ToList();
        Assert.Equal(new[] { "GetServerSpkiHashFailure", "GetTlsaRecordFailure" }, mappings.Select(m => m.Name).Order(StringComparer.Ordinal));
        var problems = new List<string>();
        foreach (var mapping in mappings)
        {
            var cmdlet = mapping.Name[..^"Failure".Length];
            foreach (var failure in Enum.GetValues(mapping.GetParameters()[0].ParameterType))
            {
                var id = (string)mapping.Invoke(null, new[] { failure })!;
                if (id != cmdlet + failure || !constants.Contains(id))
                {
                    problems.Add($"{mapping.Name}({failure}) is '{id}', not the constant {cmdlet}{failure}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Get_Help_about_DanePS_returns_the_about_topic()
    {
        var text = AboutText();
        Assert.StartsWith("TOPIC\n    about_DanePS\n", text.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        foreach (var expected in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION", "What DANE is", "DNSSEC STATUSES", "Bogus", "ERRORS", "ConvertToTlsaRecordInvalidFormat" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        foreach (var cmdlet in Cmdlets())
        {
            Assert.Contains(cmdlet.Name, text, StringComparison.Ordinal);
        }

        // Get-Help lists topics with line 5 of the file as the synopsis: the short description.
        var listed = _session.Run("Get-Help -Name about_Dane* -Category HelpFile").Single();
        Assert.Equal("about_DanePS", Str(Property(listed, "Name")));
        Assert.StartsWith("Checks DANE deployments", Str(Property(listed, "Synopsis")), StringComparison.Ordinal);
    }

    private List<CmdletInfo> Cmdlets() =>
        _session.Run<CmdletInfo>("Get-Command -Module DanePS -CommandType Cmdlet").OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary>Every ErrorId DanePS writes: the constants of DanePS.ErrorIds.</summary>
    private static List<string> ErrorIdConstants(Assembly assembly) =>
        assembly.GetType("DanePS.ErrorIds", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    private string AboutText()
    {
        var text = _session.Run<string>("Get-Help -Name about_DanePS").SingleOrDefault();
        Assert.False(string.IsNullOrEmpty(text), "Get-Help about_DanePS found nothing: " + string.Join("; ", _session.LastErrors));
        return text;
    }

    private IEnumerable<string> HelpProblems(CmdletInfo cmdlet)
    {
        var name = cmdlet.Name;
        var help = _session.Run("Get-Help -Name $n -Full", Vars(("n", name))).SingleOrDefault();
        if (help is null || !help.TypeNames.Contains("MamlCommandHelpInfo"))
        {
            // Without a MAML entry Get-Help makes up help from the syntax alone.
            yield return $"{name}: Get-Help finds no help in en-US/DanePS.dll-Help.xml (is there a docs/help/{name}.md?)";
            yield break;
        }

        var synopsis = (Str(Property(help, "Synopsis")) ?? string.Empty).Trim();
        if (synopsis.Length == 0 || synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{name}: no synopsis (Get-Help shows the generated one: '{synopsis}')";
        }

        if (Paragraphs(Property(help, "description")).Length == 0)
        {
            yield return $"{name}: no description";
        }

        var examples = Items(Property(Property(help, "examples"), "example")).ToList();
        if (examples.Count == 0)
        {
            yield return $"{name}: no example";
        }

        foreach (var example in examples.Where(e => string.IsNullOrWhiteSpace(Str(Property(e, "code")))))
        {
            yield return $"{name}: example '{Str(Property(example, "title"))}' has no code";
        }

        var documented = Items(Property(Property(help, "parameters"), "parameter"))
            .ToDictionary(p => Str(Property(p, "name"))!, p => Paragraphs(Property(p, "description")), StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in cmdlet.Parameters.Keys.Where(p => !Cmdlet.CommonParameters.Contains(p)))
        {
            if (!documented.TryGetValue(parameter, out var text))
            {
                yield return $"{name}: -{parameter} has no help (add '### -{parameter}' under ## PARAMETERS)";
            }
            else if (text.Length == 0)
            {
                yield return $"{name}: -{parameter} has no description";
            }
        }

        foreach (var parameter in documented.Keys.Where(p => !cmdlet.Parameters.ContainsKey(p)))
        {
            yield return $"{name}: the help documents -{parameter}, which the cmdlet does not have";
        }
    }

    /// <summary>
    /// Each parameter set of the cmdlet must appear as one syntax entry of the help with exactly its parameters,
    /// each with the cmdlet's own Required, Position, pipeline input, aliases and type.
    /// </summary>
    private IEnumerable<string> SyntaxProblems(CmdletInfo cmdlet)
    {
        var name = cmdlet.Name;
        var help = _session.Run("Get-Help -Name $n -Full", Vars(("n", name))).Single();
        if (!help.TypeNames.Contains("MamlCommandHelpInfo"))
        {
            yield break; // no page at all: the completeness test reports it; generated syntax is not worth comparing
        }

        var items = Items(Property(Property(help, "syntax"), "syntaxItem"))
            .Select(i => Items(Property(i, "parameter")).ToDictionary(p => Str(Property(p, "name"))!, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (items.Count != cmdlet.ParameterSets.Count)
        {
            yield return $"{name}: the help shows {items.Count} syntax entries, the cmdlet has {cmdlet.ParameterSets.Count} parameter sets ({string.Join(", ", cmdlet.ParameterSets.Select(s => s.Name))})";
        }

        foreach (var set in cmdlet.ParameterSets)
        {
            var parameters = set.Parameters.Where(p => !Cmdlet.CommonParameters.Contains(p.Name)).ToList();
            var item = items.FirstOrDefault(i => i.Count == parameters.Count && parameters.All(p => i.ContainsKey(p.Name)));
            if (item is null)
            {
                yield return $"{name}: no syntax entry lists exactly the parameters of set '{set.Name}': {string.Join(", ", parameters.Select(p => "-" + p.Name))}";
                continue;
            }

            foreach (var parameter in parameters)
            {
                var doc = item[parameter.Name];
                var where = $"{name} (set {set.Name}) -{parameter.Name}";
                var required = string.Equals(Str(Property(doc, "required")), "true", StringComparison.OrdinalIgnoreCase);
                if (required != parameter.IsMandatory)
                {
                    yield return $"{where}: the help says Required {required}, the cmdlet {parameter.IsMandatory}";
                }

                var position = parameter.Position == int.MinValue ? "named" : parameter.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!string.Equals(Str(Property(doc, "position")), position, StringComparison.OrdinalIgnoreCase))
                {
                    yield return $"{where}: the help says Position {Str(Property(doc, "position"))}, the cmdlet {position}";
                }

                var pipeline = Str(Property(doc, "pipelineInput")) ?? string.Empty;
                if (pipeline.Contains("ByValue", StringComparison.Ordinal) != parameter.ValueFromPipeline
                    || pipeline.Contains("ByPropertyName", StringComparison.Ordinal) != parameter.ValueFromPipelineByPropertyName)
                {
                    yield return $"{where}: the help says pipeline input '{pipeline}', the cmdlet ByValue={parameter.ValueFromPipeline} ByPropertyName={parameter.ValueFromPipelineByPropertyName}";
                }

                var aliases = (Str(Property(doc, "aliases")) ?? "none").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Where(a => a != "none").OrderBy(a => a, StringComparer.OrdinalIgnoreCase);
                if (!aliases.SequenceEqual(parameter.Aliases.OrderBy(a => a, StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal))
                {
                    yield return $"{where}: the help gives aliases '{Str(Property(doc, "aliases"))}', the cmdlet '{string.Join(", ", parameter.Aliases)}'";
                }

                var type = Str(Property(Property(doc, "type"), "name"));
                if (!string.Equals(type, DocumentedTypeName(parameter.ParameterType), StringComparison.Ordinal))
                {
                    yield return $"{where}: the help gives type '{type}', the cmdlet '{DocumentedTypeName(parameter.ParameterType)}'";
                }
            }
        }
    }

    /// <summary>The short type name help shows: String, String[], SwitchParameter; DateTime for DateTime?.</summary>
    private static string DocumentedTypeName(Type type)
    {
        if (type.IsArray)
        {
            return DocumentedTypeName(type.GetElementType()!) + "[]";
        }

        return (Nullable.GetUnderlyingType(type) ?? type).Name;
    }

    /// <summary>Help values are strings, sometimes wrapped in a PSObject.</summary>
    private static string? Str(object? value) => (value is PSObject pso ? pso.BaseObject : value)?.ToString();

    private static object? Property(object? value, string name) =>
        value is null ? null : PSObject.AsPSObject(value).Properties[name]?.Value;

    /// <summary>A help property as a list: one value, or the items of an array (keeping the PSObject wrappers, which carry the notes).</summary>
    private static IEnumerable<object> Items(object? value) => (value is PSObject pso ? pso.BaseObject : value) switch
    {
        null => Enumerable.Empty<object>(),
        string => new[] { value! },
        IEnumerable many => many.Cast<object>(),
        _ => new[] { value! },
    };

    /// <summary>The text of a MAML description (a list of paragraphs), trimmed.</summary>
    private static string Paragraphs(object? description) =>
        string.Join("\n", Items(description).Select(p => Str(Property(p, "Text")) ?? string.Empty)).Trim();

    /// <summary>Every string in a help object, for text searches.</summary>
    private static IEnumerable<string> AllText(object? value, int depth = 0)
    {
        if (value is null || depth > 8)
        {
            yield break;
        }

        var baseObject = value is PSObject pso ? pso.BaseObject : value;
        if (baseObject is string s)
        {
            yield return s;
            yield break;
        }

        if (baseObject is IEnumerable many)
        {
            foreach (var item in many)
            {
                foreach (var text in AllText(item, depth + 1))
                {
                    yield return text;
                }
            }

            yield break;
        }

        foreach (var property in PSObject.AsPSObject(value).Properties.Where(p => p.MemberType == PSMemberTypes.NoteProperty))
        {
            foreach (var text in AllText(property.Value, depth + 1))
            {
                yield return text;
            }
        }
    }

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] vars) => vars.ToDictionary(v => v.Name, v => v.Value);
}

/// <summary>The markdown-to-MAML converter on small pages: the good one converts as PlatyPS would, broken ones name the file and line.</summary>
[Trait("Category", "Unit")]
public class HelpBuilderTests
{
    private static readonly HelpBuildOptions Options = new("docs/help", "out/en-US", "DanePS", "DanePS.dll");

    private const string GoodPage = """
        ---
        external help file: DanePS.dll-Help.xml
        Module Name: DanePS
        online version:
        schema: 2.0.0
        ---

        # Get-Thing

        ## SYNOPSIS
        Gets a thing.

        ## SYNTAX

        ### ByName (Default)
        ```
        Get-Thing [-Name] <String> [-Force] [<CommonParameters>]
        ```

        ### ById
        ```
        Get-Thing -Id <Int32> [-Force] [<CommonParameters>]
        ```

        ## DESCRIPTION
        Gets a thing
        by name or id.

        - one
        - two

        ## EXAMPLES

        ### Example 1: Get a thing
        ```powershell
        Get-Thing -Name a
        ```

        Gets the thing named a.

        ## PARAMETERS

        ### -Name
        The name.

        ```yaml
        Type: String
        Parameter Sets: ByName
        Aliases: ThingName

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByPropertyName, ByValue)
        Accept wildcard characters: False
        ```

        ### -Id
        The id.

        ```yaml
        Type: Int32
        Parameter Sets: ById
        Aliases:
        Accepted values: 1, 2

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Force
        Forces it.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String

        ## OUTPUTS

        ### System.Object
        A thing.

        ## NOTES

        ## RELATED LINKS

        [New-TlsaRecord](New-TlsaRecord.md)

        [RFC 6698](https://www.rfc-editor.org/rfc/rfc6698)
        """;

    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    [Fact]
    public void A_well_formed_page_becomes_PlatyPS_style_MAML()
    {
        var help = CommandHelpParser.Parse(MarkdownSource.Parse("Get-Thing.md", GoodPage), Options);
        var command = MamlWriter.ToMaml(new[] { help }).Root!.Elements(Command + "command").Single();

        var details = command.Element(Command + "details")!;
        Assert.Equal("Get-Thing", details.Element(Command + "name")!.Value);
        Assert.Equal("Get", details.Element(Command + "verb")!.Value);
        Assert.Equal("Thing", details.Element(Command + "noun")!.Value);
        Assert.Equal("Gets a thing.", details.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        Assert.Equal(new[] { "Gets a thing by name or id.", "- one\n- two" }, command.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));

        var syntax = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, syntax.Count);
        Assert.Equal(new[] { "Name", "Force" }, syntax[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        Assert.Equal(new[] { "Id", "Force" }, syntax[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        var switchInSyntax = syntax[0].Elements(Command + "parameter").Last();
        Assert.Null(switchInSyntax.Element(Command + "parameterValue"));
        Assert.Equal(new[] { "1", "2" }, syntax[1].Elements(Command + "parameter").First().Element(Command + "parameterValueGroup")!.Elements().Select(e => e.Value));

        var name = command.Element(Command + "parameters")!.Elements(Command + "parameter").First();
        Assert.Equal("true", name.Attribute("required")!.Value);
        Assert.Equal("0", name.Attribute("position")!.Value);
        Assert.Equal("True (ByPropertyName, ByValue)", name.Attribute("pipelineInput")!.Value);
        Assert.Equal("false", name.Attribute("globbing")!.Value);
        Assert.Equal("ThingName", name.Attribute("aliases")!.Value);
        Assert.Equal("String", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("None", name.Element(Dev + "defaultValue")!.Value);
        Assert.Equal("The name.", name.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        Assert.Equal("named", command.Element(Command + "parameters")!.Elements(Command + "parameter").Last().Attribute("position")!.Value);

        var example = command.Element(Command + "examples")!.Element(Command + "example")!;
        Assert.Contains("Example 1: Get a thing", example.Element(Maml + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal("Get-Thing -Name a", example.Element(Dev + "code")!.Value);
        Assert.Equal("Gets the thing named a.", example.Element(Dev + "remarks")!.Element(Maml + "para")!.Value);

        Assert.Equal("System.String", command.Element(Command + "inputTypes")!.Element(Command + "inputType")!.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("A thing.", command.Element(Command + "returnValues")!.Element(Command + "returnValue")!.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        var links = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").ToList();
        Assert.Equal(new[] { "New-TlsaRecord", "RFC 6698" }, links.Select(l => l.Element(Maml + "linkText")!.Value));
        Assert.Equal(new[] { string.Empty, "https://www.rfc-editor.org/rfc/rfc6698" }, links.Select(l => l.Element(Maml + "uri")!.Value));
    }

    [Theory]
    [InlineData("Required: True", "Required: Maybe", "Required: Maybe", 0, "'Required' is True or False")]
    [InlineData("Position: 0", "Position: first", "Position: first", 0, "'Position' is 'Named' or a number")]
    [InlineData("external help file: DanePS.dll-Help.xml", "external help file: DanePS-Help.xml", "external help file:", 0, "must be 'DanePS.dll-Help.xml'")]
    [InlineData("## DESCRIPTION\nGets a thing\nby name or id.\n\n- one\n- two\n\n", "", "## EXAMPLES", 0, "expected '## DESCRIPTION' here")]
    [InlineData("### -Id\nThe id.\n", "### -Id\n", "### -Id", 0, "-Id has no description")]
    [InlineData("Parameter Sets: (All)", "Parameter Sets: ById", "Get-Thing [-Name] <String> [-Force]", -1, "lists -Force, but the yaml of -Force")]
    [InlineData("Parameter Sets: ById", "Parameter Sets: ByNumber", "Parameter Sets: ByNumber", 0, "parameter set 'ByNumber' is not under '## SYNTAX'")]
    [InlineData("Gets a thing.", "{{ Fill in the Synopsis }}", "{{ Fill in the Synopsis }}", 0, "unfilled placeholder")]
    [InlineData("### Example 1: Get a thing", "### Usage", "### Usage", 0, "not an example heading")]
    [InlineData("## NOTES\n", "## NOTES\n```powershell\nGet-Thing\n", "```powershell\nGet-Thing\n\n## RELATED", 0, "never closed")]
    [InlineData("Accept wildcard characters: False\n```\n\n### -Id", "Accept wildcard characters: False\nColour: blue\n```\n\n### -Id", "Colour: blue", 0, "'Colour' is not a parameter key")]
    public void A_malformed_page_is_an_error_naming_the_file_and_line(string find, string replace, string lineMarker, int lineOffset, string message)
    {
        var text = ReplaceFirst(GoodPage.Replace("\r\n", "\n", StringComparison.Ordinal), find, replace);
        var expectedLine = LineOf(text, lineMarker) + lineOffset;

        var error = Assert.Throws<HelpSourceException>(() => CommandHelpParser.Parse(MarkdownSource.Parse("docs/help/Get-Thing.md", text), Options));

        Assert.Equal("docs/help/Get-Thing.md", error.File);
        Assert.Equal(expectedLine, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"docs/help/Get-Thing.md({expectedLine}): error DANEPSHELP: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_must_be_named_for_the_cmdlet_it_documents()
    {
        var error = Assert.Throws<HelpSourceException>(() => CommandHelpParser.Parse(MarkdownSource.Parse("Get-Other.md", GoodPage), Options));
        Assert.Equal(LineOf(GoodPage.Replace("\r\n", "\n", StringComparison.Ordinal), "# Get-Thing"), error.Line);
        Assert.Contains("file is named 'Get-Other.md'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_about_topic_keeps_its_short_description_on_line_5_and_wraps_the_rest()
    {
        const string page = """
            # about_Thing

            ## Short description
            Explains things.

            ## Long description
            A long paragraph that goes on and on about things, far past the eighty columns that about topics keep to.

            - a list item
            """;
        var text = AboutTopic.Parse(MarkdownSource.Parse("about_Thing.md", page)).ToText();
        var lines = text.Split('\n');
        Assert.Equal(new[] { "TOPIC", "    about_Thing", string.Empty, "SHORT DESCRIPTION", "    Explains things." }, lines.Take(5));
        Assert.Equal("LONG DESCRIPTION", lines[6]);
        Assert.All(lines, l => Assert.True(l.Length <= AboutTopic.Width, l));
        Assert.Contains("    - a list item", lines);

        var error = Assert.Throws<HelpSourceException>(() => AboutTopic.Parse(MarkdownSource.Parse("about_Thing.md", page.Replace("## Short description", "## Summary", StringComparison.Ordinal))));
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void The_converter_reports_every_broken_page_in_canonical_form_and_writes_nothing()
    {
        var root = Path.Combine(Path.GetTempPath(), "daneps-helpbuilder-" + Guid.NewGuid().ToString("N"));
        var source = Directory.CreateDirectory(Path.Combine(root, "docs")).FullName;
        var output = Path.Combine(root, "en-US");
        try
        {
            File.WriteAllText(Path.Combine(source, "Get-Thing.md"), GoodPage);
            File.WriteAllText(Path.Combine(source, "README.md"), "# Not a page\n");
            File.WriteAllText(Path.Combine(source, "about_Thing.md"), "# about_Thing\n\n## Short description\nThings.\n\n## Long description\nMore.\n");
            var broken = ReplaceFirst(GoodPage.Replace("Get-Thing", "Set-Thing", StringComparison.Ordinal), "Required: True", "Required: yes");
            File.WriteAllText(Path.Combine(source, "Set-Thing.md"), broken);
            var args = new[] { "--source", source, "--output", output, "--module", "DanePS", "--assembly", "DanePS.dll" };

            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(1, Program.Run(args, stdout, stderr));
            Assert.Equal($"{Path.Combine(source, "Set-Thing.md")}({LineOf(broken.Replace("\r\n", "\n", StringComparison.Ordinal), "Required: yes")}): error DANEPSHELP: 'Required' is True or False, not 'yes'.", stderr.ToString().Trim());
            Assert.False(Directory.Exists(output));

            File.Delete(Path.Combine(source, "Set-Thing.md"));
            Assert.Equal(0, Program.Run(args, stdout, stderr));
            Assert.Equal(new[] { "DanePS.dll-Help.xml", "about_Thing.help.txt" }, Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal("Get-Thing", XDocument.Load(Path.Combine(output, "DanePS.dll-Help.xml")).Descendants(Command + "name").First().Value);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var index = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{find}' is not in the page");
        return string.Concat(text.AsSpan(0, index), replace, text.AsSpan(index + find.Length));
    }

    private static int LineOf(string text, string marker)
    {
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{marker}' is not in the page");
        return text.Substring(0, index).Count(c => c == '\n') + 1;
    }
}
