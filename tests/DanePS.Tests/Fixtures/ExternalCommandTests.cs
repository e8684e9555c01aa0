using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace DanePS.Tests.Fixtures;

/// <summary>The fixtures' one way to find and run programs: missing ones name their package, failures carry the program's words.</summary>
public sealed class ExternalCommandTests
{
    private static readonly RequiredProgram Shell = new("sh", "dash");

    [Theory]
    [InlineData("daneps-no-such-server")]
    [InlineData("/usr/sbin/no-such-daneps-server")]
    public void A_missing_program_names_its_Debian_package(string name)
    {
        var failure = Assert.Throws<FixtureException>(() => new RequiredProgram(name, "daneps-imaginary").Locate());

        Assert.Contains("apt-get install -y daneps-imaginary", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_is_found_at_its_full_path_or_in_PATH_and_the_sbin_folders()
    {
        Assert.Equal("/usr/sbin/postfix", RequiredProgram.Postfix.Locate());
        Assert.Equal("sh", Path.GetFileName(Shell.Locate()));
    }

    [Fact]
    public async Task A_run_returns_the_exit_code_and_both_outputs()
    {
        var result = await ExternalCommand.RunAsync(Shell, ["-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(10));

        Assert.Equal(new ExternalCommandResult(3, "out\n", "err\n", TimedOut: false), result);
    }

    [Fact]
    public async Task A_program_that_overruns_its_time_is_killed_and_says_so()
    {
        var clock = Stopwatch.StartNew();

        var result = await ExternalCommand.RunAsync(Shell, ["-c", "sleep 30"], TimeSpan.FromMilliseconds(200));

        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_tool_that_must_succeed_and_fails_carries_its_command_line_and_messages()
    {
        var failure = await Assert.ThrowsAsync<FixtureException>(
            () => ExternalCommand.RunToSuccessAsync(Shell, ["-c", "echo 'zone broken' >&2; exit 1"], Path.GetTempPath(), CancellationToken.None));

        Assert.Contains("exit code 1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("zone broken", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sh -c", failure.Message, StringComparison.Ordinal);
    }
}
