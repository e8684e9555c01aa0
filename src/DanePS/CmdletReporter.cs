using System;
using DanePS.Engine.Reporting;

namespace DanePS;

/// <summary>
/// The engine's reporter for one cmdlet: what the engine says on any thread is posted to the cmdlet's mailbox and
/// written to the verbose or debug stream when the pipeline thread runs the posts.
/// </summary>
/// <remarks>Internal: a public type of DanePS.dll may not implement an engine type (see ModuleLoader).</remarks>
internal sealed class CmdletReporter : IReporter
{
    private readonly PipelineMailbox _mailbox;
    private readonly Action<string> _verbose;
    private readonly Action<string> _debug;

    public CmdletReporter(PipelineMailbox mailbox, Action<string> verbose, Action<string> debug)
    {
        _mailbox = mailbox;
        _verbose = verbose;
        _debug = debug;
    }

    public void Verbose(string message) => _mailbox.Post(() => _verbose(message));

    public void Debug(string message) => _mailbox.Post(() => _debug(message));
}
