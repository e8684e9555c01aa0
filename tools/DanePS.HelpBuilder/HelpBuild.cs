using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DanePS.HelpBuilder.About;
using DanePS.HelpBuilder.Commands;
using DanePS.HelpBuilder.Markdown;

namespace DanePS.HelpBuilder;

/// <summary>
/// The whole conversion: every page of the source folder is read (about_*.md as about topics, README.md skipped,
/// every other .md as a cmdlet page); all errors are collected; the output is written only when there are none.
/// </summary>
internal static class HelpBuild
{
    public static HelpBuildResult Convert(HelpBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var commands = new List<CommandHelp>();
        var topics = new List<AboutTopic>();
        var errors = new List<HelpSourceException>();
        if (!Directory.Exists(options.SourceDirectory))
        {
            errors.Add(new HelpSourceException(options.SourceDirectory, 0, "the help source folder does not exist."));
            return new HelpBuildResult(commands, topics, errors);
        }

        var pages = Directory.GetFiles(options.SourceDirectory, "*.md", SearchOption.TopDirectoryOnly)
            .Where(p => !string.Equals(Path.GetFileName(p), "README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            try
            {
                var source = MarkdownSource.Read(page);
                if (source.BaseName.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    topics.Add(AboutTopic.Parse(source));
                }
                else
                {
                    commands.Add(CommandHelpParser.Parse(source, options));
                }
            }
            catch (HelpSourceException ex)
            {
                errors.Add(ex);
            }
            catch (IOException ex)
            {
                errors.Add(new HelpSourceException(page, 0, "cannot read the file: " + ex.Message));
            }
        }

        if (commands.Count == 0 && errors.Count == 0)
        {
            errors.Add(new HelpSourceException(options.SourceDirectory, 0, "no cmdlet page (Verb-Noun.md) in the help source folder."));
        }

        return new HelpBuildResult(commands, topics, errors);
    }

    /// <summary>Converts and, when every page is well formed, replaces the output folder's help files.</summary>
    public static HelpBuildResult Run(HelpBuildOptions options)
    {
        var result = Convert(options);
        if (result.Errors.Count > 0)
        {
            return result;
        }

        Directory.CreateDirectory(options.OutputDirectory);

        // A topic whose page was deleted must not linger: the folder holds only what this run writes.
        foreach (var stale in Directory.GetFiles(options.OutputDirectory, "*-Help.xml").Concat(Directory.GetFiles(options.OutputDirectory, "*.help.txt")))
        {
            File.Delete(stale);
        }

        MamlWriter.Write(result.Commands.OrderBy(c => c.Name, StringComparer.Ordinal), Path.Combine(options.OutputDirectory, options.ExternalHelpFile));
        foreach (var topic in result.Topics)
        {
            File.WriteAllText(Path.Combine(options.OutputDirectory, topic.FileName), topic.ToText(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        return result;
    }
}

internal sealed record HelpBuildResult(IReadOnlyList<CommandHelp> Commands, IReadOnlyList<AboutTopic> Topics, IReadOnlyList<HelpSourceException> Errors);
