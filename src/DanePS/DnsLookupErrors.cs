using System.Management.Automation;
using DanePS.Engine.Dns;

namespace DanePS;

/// <summary>How a DNS failure becomes an ErrorRecord: ErrorId "&lt;Cmdlet&gt;&lt;Failure&gt;" (e.g. GetTlsaRecordBogus) and a fitting category.</summary>
internal static class DnsLookupErrors
{
    public static string ErrorId(string cmdletPrefix, DnsFailure failure) => cmdletPrefix + failure;

    public static ErrorCategory Category(DnsFailure failure) => failure switch
    {
        DnsFailure.Timeout => ErrorCategory.OperationTimeout,
        DnsFailure.ServerFailure => ErrorCategory.ResourceUnavailable,
        DnsFailure.Bogus => ErrorCategory.SecurityError,
        DnsFailure.Indeterminate => ErrorCategory.InvalidResult,
        DnsFailure.Refused => ErrorCategory.PermissionDenied,
        DnsFailure.NoSuchDomain => ErrorCategory.ObjectNotFound,
        DnsFailure.NullMx => ErrorCategory.InvalidOperation,
        DnsFailure.MalformedResponse or DnsFailure.MismatchedResponse => ErrorCategory.InvalidData,
        _ => ErrorCategory.ConnectionError,
    };
}
