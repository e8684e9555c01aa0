using System;
using System.Collections.Generic;
using System.IO;

namespace DanePS.HelpBuilder;

/// <summary>
/// dotnet DanePS.HelpBuilder.dll --source docs/help --output artifacts/…/en-US --module DanePS --assembly DanePS.dll
/// Errors go to stderr in MSBuild's canonical form, so the build shows them with file and line.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (i + 1 >= args.Count || args[i] is not ("--source" or "--output" or "--module" or "--assembly"))
            {
                error.WriteLine($"DanePS.HelpBuilder: error {HelpSourceException.ErrorCode}: unexpected argument '{args[i]}'.");
                error.WriteLine("Usage: DanePS.HelpBuilder --source <folder of .md> --output <culture folder> --module <module name> --assembly <cmdlet assembly file>");
                return 2;
            }

            values[args[i]] = args[++i];
        }

        foreach (var required in new[] { "--source", "--output", "--module", "--assembly" })
        {
            if (!values.ContainsKey(required))
            {
                error.WriteLine($"DanePS.HelpBuilder: error {HelpSourceException.ErrorCode}: {required} is required.");
                return 2;
            }
        }

        var options = new HelpBuildOptions(Path.GetFullPath(values["--source"]), Path.GetFullPath(values["--output"]), values["--module"], values["--assembly"]);
        var result = HelpBuild.Run(options);
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem.ToString());
        }

        if (result.Errors.Count > 0)
        {
            return 1;
        }

        output.WriteLine($"DanePS.HelpBuilder: {result.Commands.Count} cmdlet page(s) -> {Path.Combine(options.OutputDirectory, options.ExternalHelpFile)}; {result.Topics.Count} about topic(s).");
        return 0;
    }
}
