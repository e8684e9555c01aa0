using System.Management.Automation;
using DanePS.Engine.Tls;

namespace DanePS;

/// <summary>How a failed TLS probe of Get-ServerSpkiHash becomes an ErrorRecord: its ErrorId and a fitting category.</summary>
internal static class TlsProbeErrors
{
    public static ErrorRecord ToErrorRecord(TlsProbeException exception, object target) =>
        new(exception, ErrorIds.GetServerSpkiHashFailure(exception.Failure), Category(exception.Failure), target);

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
