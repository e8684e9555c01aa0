using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Monitoring;

/// <summary>
/// The scheduling examples in docs/examples, each as far as this machine allows: the Windows and Azure scripts
/// parsed and their calls checked against the real cmdlets, the cron line's schedule and command, and the systemd
/// units verified by systemd-analyze. Running them from a real pwsh is in tests/pester/Monitor.Tests.ps1.
/// </summary>
public sealed class SchedulingExampleTests : IDisposable
{
    private static readonly string Examples = Path.Combine(ModuleSession.RepoRoot, "docs", "examples");
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    private static (ScriptBlockAst Ast, List<CommandAst> Commands) Parse(string file)
    {
        var ast = Parser.ParseFile(Path.Combine(Examples, file), out _, out var errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{file}:{e.Extent.StartLineNumber}: {e.Message}")));
        return (ast, ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().ToList());
    }

    /// <summary>Every parameter a DanePS call in the text uses exists (a renamed parameter breaks a 3 a.m. run).</summary>
    private void AssertDanePSCallsUseRealParameters(IEnumerable<CommandAst> commands, string file)
    {
        var calls = commands.Where(c => c.GetCommandName() is "Invoke-DaneMonitor" or "New-DaneAlertChannel" or "Test-DaneEndpoint").ToList();
        Assert.NotEmpty(calls);
        foreach (var call in calls)
        {
            var parameters = _session.Run<string>("(Get-Command -Name $n -Module DanePS).Parameters.Keys", new Dictionary<string, object?> { ["n"] = call.GetCommandName() });
            foreach (var p in call.CommandElements.OfType<CommandParameterAst>())
            {
                Assert.True(parameters.Contains(p.ParameterName, StringComparer.OrdinalIgnoreCase), $"{file}: {call.GetCommandName()} has no -{p.ParameterName}");
            }
        }
    }

    /// <summary>The PowerShell code inside a string (a -Command argument), parsed as code.</summary>
    private static List<CommandAst> CommandsIn(string code, string file)
    {
        var ast = Parser.ParseInput(code, out _, out var errors);
        Assert.True(errors.Length == 0, $"{file}: the command does not parse: {code}\n" + string.Join("\n", errors.Select(e => e.Message)));
        return ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().ToList();
    }

    [Fact]
    public void The_scheduled_script_turns_the_summary_into_the_exit_code()
    {
        var (_, commands) = Parse("dane-monitor.ps1");
        AssertDanePSCallsUseRealParameters(commands, "dane-monitor.ps1");
        Assert.Contains(commands, c => c.GetCommandName() == "Select-Object" && c.Extent.Text.Contains("-Last 1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Task_Scheduler_script_registers_pwsh_as_a_service_account_with_the_module_path()
    {
        var (ast, commands) = Parse("register-dane-monitor-task.ps1");
        var register = Assert.Single(commands, c => c.GetCommandName() == "Register-ScheduledTask");
        foreach (var p in new[] { "TaskName", "Action", "Trigger", "Principal", "Settings" })
        {
            Assert.Contains(register.CommandElements.OfType<CommandParameterAst>(), e => e.ParameterName == p);
        }

        var principal = Assert.Single(commands, c => c.GetCommandName() == "New-ScheduledTaskPrincipal").Extent.Text;
        Assert.Contains("-UserId $ServiceAccount", principal, StringComparison.Ordinal);
        Assert.Contains("-LogonType Password", principal, StringComparison.Ordinal); // a gMSA: no stored password
        var parameters = ast.ParamBlock!.Parameters.Select(p => p.Name.VariablePath.UserPath).ToList();
        Assert.Contains("ModulePath", parameters);
        Assert.Contains("ServiceAccount", parameters);

        // The command the task runs, with the parameters filled in, is PowerShell that calls Invoke-DaneMonitor rightly.
        var command = ast.FindAll(a => a is AssignmentStatementAst { Left: VariableExpressionAst { VariablePath.UserPath: "command" } }, true).Cast<AssignmentStatementAst>().Single().Right.Extent.Text;
        var filled = string.Concat(Regex.Matches(command, "\"((?:[^\"`]|`.)*)\"").Select(m => m.Groups[1].Value))
            .Replace("`$", "$", StringComparison.Ordinal).Replace("$ModulePath", @"C:\Modules", StringComparison.Ordinal).Replace("$SettingsPath", @"C:\dane\monitor.psd1", StringComparison.Ordinal);
        var inner = CommandsIn(filled, "register-dane-monitor-task.ps1");
        AssertDanePSCallsUseRealParameters(inner, "register-dane-monitor-task.ps1 (task command)");
        Assert.Contains("exit (Invoke-DaneMonitor -Path", filled, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cron_line_has_a_valid_schedule_a_user_and_a_command_that_parses()
    {
        var lines = File.ReadAllLines(Path.Combine(Examples, "dane-monitor.cron")).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        var line = Assert.Single(lines);
        var match = Regex.Match(line, @"^(?<m>\S+) (?<h>\S+) (?<dom>\S+) (?<mon>\S+) (?<dow>\S+) (?<user>[a-z_][a-z0-9_-]*) (?<command>.+)$");
        Assert.True(match.Success, line);
        Assert.Matches(@"^(\*|\*/\d+|\d+(,\d+)*)$", match.Groups["m"].Value);
        foreach (var field in new[] { "h", "dom", "mon", "dow" })
        {
            Assert.Matches(@"^(\*|\*/\d+|\d+(-\d+)?(,\d+)*)$", match.Groups[field].Value);
        }

        var command = match.Groups["command"].Value;
        Assert.DoesNotContain("%", command, StringComparison.Ordinal); // cron would cut the line there
        var code = Regex.Match(command, "pwsh -NoProfile -NonInteractive -Command '([^']*)'").Groups[1].Value;
        AssertDanePSCallsUseRealParameters(CommandsIn(code, "dane-monitor.cron"), "dane-monitor.cron");
    }

    [Fact]
    public async Task The_systemd_service_and_timer_pass_systemd_analyze_verify()
    {
        var folder = Directory.CreateTempSubdirectory("daneps-systemd-").FullName;
        try
        {
            // verify checks that ExecStart's program exists: the unit names pwsh where Microsoft's package puts it;
            // where pwsh lives elsewhere (CI's .ci/.tools), that path stands in for it.
            var pwsh = File.Exists("/usr/bin/pwsh") ? "/usr/bin/pwsh" : FindPwsh();
            foreach (var unit in new[] { "daneps-monitor.service", "daneps-monitor.timer" })
            {
                File.WriteAllText(Path.Combine(folder, unit), File.ReadAllText(Path.Combine(Examples, unit)).Replace("/usr/bin/pwsh", pwsh, StringComparison.Ordinal));
            }

            var result = await ExternalCommand.RunAsync(
                RequiredProgram.SystemdAnalyze,
                new[] { "verify", Path.Combine(folder, "daneps-monitor.service"), Path.Combine(folder, "daneps-monitor.timer") },
                TimeSpan.FromSeconds(60),
                folder);
            Assert.True(result.ExitCode == 0 && result.CombinedOutput.Length == 0, $"systemd-analyze verify (exit {result.ExitCode}):\n{result.CombinedOutput}");

            var exec = File.ReadAllLines(Path.Combine(Examples, "daneps-monitor.service")).Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
            var code = Regex.Match(exec, "-Command \"(.*)\"$").Groups[1].Value;
            AssertDanePSCallsUseRealParameters(CommandsIn(code, "daneps-monitor.service"), "daneps-monitor.service");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_Azure_Automation_runbook_parses_and_reads_its_secret_from_an_Automation_variable()
    {
        var (ast, commands) = Parse("azure-automation-runbook.ps1");
        AssertDanePSCallsUseRealParameters(commands, "azure-automation-runbook.ps1");
        Assert.Contains(commands, c => c.GetCommandName() == "Get-AutomationVariable");
        Assert.DoesNotContain("https://", ast.Extent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_vantage_point_pattern_runs_in_parallel_runspaces_and_over_remoting()
    {
        var (_, commands) = Parse("dane-monitor-vantage-points.ps1");
        AssertDanePSCallsUseRealParameters(commands, "dane-monitor-vantage-points.ps1");
        Assert.Contains(commands, c => c.GetCommandName() == "ForEach-Object" && c.CommandElements.OfType<CommandParameterAst>().Any(p => p.ParameterName == "Parallel"));
        Assert.Contains(commands, c => c.GetCommandName() == "Invoke-Command");
    }

    [Fact]
    public void The_README_settings_file_loads_and_its_scheduled_line_is_the_examples()
    {
        var readme = File.ReadAllText(Path.Combine(ModuleSession.RepoRoot, "README.md"));
        var setUp = readme[readme.IndexOf("## Set up", StringComparison.Ordinal)..readme.IndexOf("## A short tour", StringComparison.Ordinal)];
        var settings = Regex.Match(setUp, @"```powershell\n(@\{.*?\n\})\n```", RegexOptions.Singleline).Groups[1].Value;
        Assert.NotEmpty(settings);
        var file = Path.Combine(Directory.CreateTempSubdirectory("daneps-readme-").FullName, "monitor.psd1");
        File.WriteAllText(file, settings);
        Environment.SetEnvironmentVariable("DANE_TELEGRAM_TOKEN", "123:abc");
        _session.Run($"Invoke-DaneMonitor -Path '{file}' -WhatIf");
        Assert.Empty(_session.LastErrors);
        Assert.Contains("on target \"mail.example.com:465 (TLS Auto)\"", _session.HostOutput, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);

        var cron = Regex.Match(setUp, "^\\*/15 .*$", RegexOptions.Multiline).Value;
        var code = Regex.Match(cron, "-Command '([^']*)'").Groups[1].Value;
        Assert.Contains(code, File.ReadAllText(Path.Combine(Examples, "dane-monitor.cron")), StringComparison.Ordinal);
        AssertDanePSCallsUseRealParameters(CommandsIn(code, "README.md"), "README.md");
    }

    private static string FindPwsh()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(d => Path.Combine(d, "pwsh"))
            .Append(Path.Combine(ModuleSession.RepoRoot, ".ci", ".tools", "pwsh"));
        return candidates.FirstOrDefault(File.Exists) ?? throw new FixtureException("pwsh is not installed: run 'source .ci/install-powershell.sh'.");
    }
}
