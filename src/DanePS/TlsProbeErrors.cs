using System.Management.Automation;
using DanePS.Engine.Tls;

namespace DanePS;

/// <summary>How a failed TLS probe becomes an ErrorRecord: ErrorId "&lt;Cmdlet&gt;&lt;Failure&gt;" and a fitting category.</summary>
internal static class TlsProbeErrors
{
    public static ErrorRecord ToErrorRecord(TlsProbeException exception, string cmdletPrefix, object target) =>
        new(exception, cmdletPrefix + exception.Failure, Category(exception.Failure), target);

    public static ErrorCategory Category(TlsProbeFailure failure) => failure switch
    {
        TlsProbeFailure.NameResolution => ErrorCategory.ObjectNotFound,
        TlsProbeFailure.ConnectionRefused => ErrorCategory.ConnectionError,
        TlsProbeFailure.ConnectTimeout or TlsProbeFailure.Timeout => ErrorCategory.OperationTimeout,
        TlsProbeFailure.ConnectionClosed or TlsProbeFailure.NetworkError => ErrorCategory.ConnectionError,
        TlsProbeFailure.ProtocolError => ErrorCategory.ProtocolError,
        TlsProbeFailure.ResponseTooLarge => ErrorCategory.LimitsExceeded,
        TlsProbeFailure.ServiceRefused or TlsProbeFailure.StartTlsRefused => ErrorCategory.ResourceUnavailable,
        TlsProbeFailure.StartTlsNotOffered => ErrorCategory.NotEnabled,
        TlsProbeFailure.HandshakeFailed => ErrorCategory.SecurityError,
        _ => ErrorCategory.NotSpecified,
    };
}
