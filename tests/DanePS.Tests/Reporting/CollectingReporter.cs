using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Reporting;

namespace DanePS.Tests.Reporting;

/// <summary>The engine's reporter in tests: keeps every message, from any thread, marked with its stream ("V ", "D ", "W ").</summary>
internal sealed class CollectingReporter : IReporter
{
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>The verbose messages as they were reported.</summary>
    public IReadOnlyList<string> VerboseLines => Lines.Where(l => l.StartsWith("V ", System.StringComparison.Ordinal)).Select(l => l.Substring(2)).ToList();

    public void Verbose(string message) => Lines.Enqueue("V " + message);

    public void Debug(string message) => Lines.Enqueue("D " + message);

    public void Warning(string message) => Lines.Enqueue("W " + message);
}
