using System;
using System.IO;

namespace DanePS.Engine.TlsRpt;

/// <summary>What went wrong with the mailbox itself (not with one report in it).</summary>
public enum TlsRptMailboxFailure
{
    /// <summary>The server could not be reached, TLS failed, or the connection broke.</summary>
    Connection,

    /// <summary>The server refused the login.</summary>
    Authentication,

    /// <summary>The folder does not exist.</summary>
    FolderNotFound,
}

/// <summary>The mailbox could not be read.</summary>
public sealed class TlsRptMailboxException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TlsRptMailboxException(TlsRptMailboxFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What failed.</summary>
    public TlsRptMailboxFailure Failure { get; }
}
