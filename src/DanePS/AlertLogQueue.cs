using System.Collections.Concurrent;
using DanePS.Engine.Alerts;

namespace DanePS;

/// <summary>
/// Collects what alerting reports from any thread (sends run on the thread pool), masks every secret, and hands it to
/// the cmdlet's verbose, debug and warning streams on the pipeline thread, the only one allowed to write them.
/// </summary>
internal sealed class AlertLogQueue : IAlertLog
{
    private readonly ConcurrentQueue<(char Stream, string Text)> _queue = new();
    private readonly SecretRedactor _redactor;

    public AlertLogQueue(SecretRedactor redactor) => _redactor = redactor;

    public void Verbose(string message) => _queue.Enqueue(('V', _redactor.Redact(message)));

    public void Debug(string message) => _queue.Enqueue(('D', _redactor.Redact(message)));

    public void Warning(string message) => _queue.Enqueue(('W', _redactor.Redact(message)));

    /// <summary>Writes what was queued; call on the pipeline thread.</summary>
    public void Drain(System.Management.Automation.Cmdlet cmdlet)
    {
        while (_queue.TryDequeue(out var entry))
        {
            switch (entry.Stream)
            {
                case 'V':
                    cmdlet.WriteVerbose(entry.Text);
                    break;
                case 'D':
                    cmdlet.WriteDebug(entry.Text);
                    break;
                default:
                    cmdlet.WriteWarning(entry.Text);
                    break;
            }
        }
    }
}
