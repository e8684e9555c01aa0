using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security;
using DanePS.Engine.Monitoring;

namespace DanePS;

/// <summary>
/// Turns a monitor settings file into the engine's <see cref="SettingsNode"/> tree, by Import-PowerShellDataFile's
/// rules (the file is parsed, never run: one hashtable of constants, no variables but $true, $false and $null, no
/// commands), keeping the line of every key; and a -Settings hashtable into the same tree, without lines.
/// </summary>
internal static class MonitorSettingsFile
{
    /// <summary>The most of a settings file read: a few hundred bytes per endpoint.</summary>
    private const int MaxFileSize = 16 * 1024 * 1024;

    /// <summary>Parses the file; null, with the problems, when it is not a data file.</summary>
    public static SettingsNode? Parse(string path, List<SettingsProblem> problems)
    {
        if (new System.IO.FileInfo(path).Length > MaxFileSize)
        {
            problems.Add(new SettingsProblem(SettingsProblemKind.NotData, string.Empty, 0, string.Format(CultureInfo.InvariantCulture, "The settings file is larger than {0} bytes.", MaxFileSize)));
            return null;
        }

        var ast = Parser.ParseFile(path, out _, out var errors);
        foreach (var e in errors)
        {
            problems.Add(new SettingsProblem(SettingsProblemKind.NotData, string.Empty, e.Extent.StartLineNumber, "Not PowerShell data: " + e.Message));
        }

        if (errors.Length > 0)
        {
            return null;
        }

        var statements = ast.EndBlock?.Statements ?? (IReadOnlyList<StatementAst>)Array.Empty<StatementAst>();
        if (ast.ParamBlock is not null || ast.BeginBlock is not null || ast.ProcessBlock is not null || statements.Count != 1
            || Unwrap(statements[0]) is not HashtableAst table)
        {
            problems.Add(new SettingsProblem(SettingsProblemKind.NotData, string.Empty, statements.Count > 1 ? statements[1].Extent.StartLineNumber : 1,
                "A settings file holds one hashtable, @{ … }, and nothing else (the rules of Import-PowerShellDataFile)."));
            return null;
        }

        var before = problems.Count;
        var root = FromAst(table, string.Empty, problems);
        return problems.Count == before ? root : null;
    }

    /// <summary>A -Settings hashtable as a settings tree (no lines).</summary>
    public static SettingsNode FromObject(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        switch (value)
        {
            case IDictionary dictionary:
            {
                var node = SettingsNode.Table(0);
                foreach (DictionaryEntry e in dictionary)
                {
                    node.Add(Convert.ToString(e.Key is PSObject k ? k.BaseObject : e.Key, CultureInfo.InvariantCulture) ?? string.Empty, 0, FromObject(e.Value));
                }

                return node;
            }

            case string text:
                return SettingsNode.Scalar(text, 0);
            case IEnumerable list when value is not SecureString:
            {
                var node = SettingsNode.List(0);
                foreach (var item in list)
                {
                    node.Add(FromObject(item));
                }

                return node;
            }

            default:
                return SettingsNode.Scalar(Scalar(value), 0);
        }
    }

    private static object? Scalar(object? value) => value switch
    {
        SwitchParameter s => s.IsPresent,
        int or long or bool or string or double or TimeSpan or SecureString or null => value,
        short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        decimal or float => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    private static ExpressionAst? Unwrap(StatementAst statement) =>
        statement is PipelineAst { PipelineElements.Count: 1 } pipeline && pipeline.PipelineElements[0] is CommandExpressionAst { Redirections.Count: 0 } command
            ? command.Expression
            : null;

    private static SettingsNode FromAst(ExpressionAst expression, string path, List<SettingsProblem> problems)
    {
        var line = expression.Extent.StartLineNumber;
        switch (expression)
        {
            case HashtableAst table:
            {
                var node = SettingsNode.Table(line);
                foreach (var (keyAst, valueAst) in table.KeyValuePairs)
                {
                    var key = keyAst switch
                    {
                        StringConstantExpressionAst s => s.Value,
                        ConstantExpressionAst c => Convert.ToString(c.Value, CultureInfo.InvariantCulture),
                        _ => null,
                    };
                    var keyPath = (path.Length > 0 ? path + "." : string.Empty) + (key ?? keyAst.Extent.Text);
                    if (key is null)
                    {
                        problems.Add(new SettingsProblem(SettingsProblemKind.NotData, keyPath, keyAst.Extent.StartLineNumber, $"A key is a name or a quoted string, not {keyAst.Extent.Text}."));
                        continue;
                    }

                    var value = Unwrap(valueAst);
                    if (value is null)
                    {
                        problems.Add(NotData(keyPath, valueAst.Extent));
                        continue;
                    }

                    node.Add(key, keyAst.Extent.StartLineNumber, FromAst(value, keyPath, problems));
                }

                return node;
            }

            case ArrayLiteralAst array:
            {
                var node = SettingsNode.List(line);
                for (var i = 0; i < array.Elements.Count; i++)
                {
                    node.Add(FromAst(array.Elements[i], Item(path, node.Items.Count), problems));
                }

                return node;
            }

            case ArrayExpressionAst array:
            {
                var node = SettingsNode.List(line);
                foreach (var statement in array.SubExpression.Statements)
                {
                    var value = Unwrap(statement);
                    if (value is null)
                    {
                        problems.Add(NotData(Item(path, node.Items.Count), statement.Extent));
                    }
                    else if (value is ArrayLiteralAst inner)
                    {
                        foreach (var element in inner.Elements)
                        {
                            node.Add(FromAst(element, Item(path, node.Items.Count), problems));
                        }
                    }
                    else
                    {
                        node.Add(FromAst(value, Item(path, node.Items.Count), problems));
                    }
                }

                return node;
            }

            case ParenExpressionAst paren when paren.Pipeline is StatementAst inner && Unwrap(inner) is { } value:
                return FromAst(value, path, problems);

            default:
                try
                {
                    // The same check Import-PowerShellDataFile makes: a constant, or $true/$false/$null; nothing runs.
                    return SettingsNode.Scalar(Scalar(expression.SafeGetValue()), line);
                }
                catch (InvalidOperationException)
                {
                    problems.Add(NotData(path, expression.Extent));
                    return SettingsNode.Scalar(null, line);
                }
        }
    }

    private static string Item(string path, int index) => string.Format(CultureInfo.InvariantCulture, "{0}[{1}]", path, index);

    private static SettingsProblem NotData(string path, IScriptExtent extent) => new(SettingsProblemKind.NotData, path, extent.StartLineNumber,
        $"'{(extent.Text.Length > 60 ? extent.Text.Substring(0, 60) + "…" : extent.Text)}' is not data: a settings file holds constants only (strings, numbers, $true, $false, $null, @( … ), @{{ … }}); no variable, command or expression runs. Reference secrets as 'env:NAME' or 'secret:Name'.");
}
