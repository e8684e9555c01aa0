using System;
using DanePS.Engine.Reporting;

namespace DanePS;

/// <summary>
/// The engine's reporter for one cmdlet: what the engine says on any thread is posted to the cmdlet's mailbox and
/// written to the verbose, debug or warning stream when the pipeline thread runs the posts.
/// </summary>
/// <remarks>Internal: a public type of DanePS.dll may not implement an engine type (see ModuleLoader).</remarks>
internal sealed class CmdletReporter : IReporter
{
    private readonly PipelineMailbox _mailbox;
    private readonly Action<string> _verbose;
    private readonly Action<string> _debug;
    private readonly Action<string> _warning;

    public CmdletReporter(PipelineMailbox mailbox, Action<string> verbose, Action<string> debug, Action<string> warning)
    {
        _mailbox = mailbox;
        _verbose = verbose;
        _debug = debug;
        _warning = warning;
    }

    public void Verbose(string message) => _mailbox.Post(() => _verbose(message));

    public void Debug(string message) => _mailbox.Post(() => _debug(message));

    public void Warning(string message) => _mailbox.Post(() => _warning(message));
}
