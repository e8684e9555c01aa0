using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace DanePS.HelpBuilder.Commands;

/// <summary>
/// Writes cmdlet help as MAML, element for element as PlatyPS's New-ExternalHelp does, which is what
/// Get-Help's command help provider reads from &lt;Assembly&gt;.dll-Help.xml.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument ToMaml(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

    public static void Write(IEnumerable<CommandHelp> commands, string path)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
        };
        using var stream = File.Create(path);
        using var writer = XmlWriter.Create(stream, settings);
        ToMaml(commands).Save(writer);
    }

    private static XElement CommandElement(CommandHelp help) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "command", Command.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dev", Dev.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp.NamespaceName),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(Command + "syntax", help.Syntax.Select(item => SyntaxItem(help, item))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Metadata[0], inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeEntry("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeEntry("returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", RelatedLinks(help)));

    private static XElement SyntaxItem(CommandHelp help, SyntaxItem item) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            item.ParameterNames.Select(name =>
            {
                var parameter = help.Parameters.First(p => string.Equals(p.Name, name, System.StringComparison.OrdinalIgnoreCase));
                return Parameter(parameter, parameter.In(item.ParameterSetName)!, inSyntax: true);
            }));

    private static XElement Parameter(ParameterHelp parameter, ParameterMetadata metadata, bool inSyntax)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", Lower(metadata.Required)),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", Lower(metadata.Globbing)),
            new XAttribute("pipelineInput", metadata.PipelineInput),
            new XAttribute("position", metadata.Position?.ToString(CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", metadata.Aliases.Count == 0 ? "none" : string.Join(", ", metadata.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));

        if (inSyntax && metadata.AcceptedValues.Count > 0)
        {
            element.Add(new XElement(Command + "parameterValueGroup",
                metadata.AcceptedValues.Select(v => new XElement(Command + "parameterValue",
                    new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v))));
        }

        var type = metadata.IsSwitch ? "SwitchParameter" : metadata.Type;

        // As PlatyPS does: no value placeholder for a switch in a syntax line, so it shows as [-Switch].
        if (!inSyntax || !metadata.IsSwitch)
        {
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", Lower(!metadata.IsSwitch)), new XAttribute("variableLength", "false"), type));
        }

        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", metadata.DefaultValue));
        return element;
    }

    private static XElement TypeEntry(string kind, TypeHelp type) =>
        new(Command + kind,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            Description(type.Description));

    private static XElement Example(ExampleHelp example) =>
        new(Command + "example",
            new XElement(Maml + "title", $"--------- {example.Title} ---------"),
            new XElement(Dev + "code", example.Code),
            // The trailing empty paragraph keeps a blank line between one example's remarks and the next title.
            new XElement(Dev + "remarks", Paragraphs(example.Remarks), new XElement(Maml + "para")));

    private static IEnumerable<XElement> RelatedLinks(CommandHelp help)
    {
        if (help.OnlineVersion is not null)
        {
            yield return Link("Online Version:", help.OnlineVersion);
        }

        foreach (var link in help.RelatedLinks)
        {
            yield return Link(link.Text, link.Uri);
        }
    }

    /// <summary>Links to other pages ("Test-TlsaRecord.md") keep only their text: Get-Help prints the address after it.</summary>
    private static XElement Link(string text, string uri) =>
        new(Maml + "navigationLink",
            new XElement(Maml + "linkText", text),
            new XElement(Maml + "uri", IsWebAddress(uri) ? uri : string.Empty));

    private static bool IsWebAddress(string uri) =>
        uri.StartsWith("https://", System.StringComparison.OrdinalIgnoreCase) || uri.StartsWith("http://", System.StringComparison.OrdinalIgnoreCase);

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));

    private static string Lower(bool value) => value ? "true" : "false";
}
