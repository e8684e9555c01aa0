namespace DanePS.Engine.Reporting;

/// <summary>The reporter of callers that give none: every message is dropped.</summary>
internal sealed class NullReporter : IReporter
{
    public static readonly NullReporter Instance = new();

    private NullReporter()
    {
    }

    public void Verbose(string message)
    {
    }

    public void Debug(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
