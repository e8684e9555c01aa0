using System.Management.Automation;
using DanePS.Engine.Dns;

namespace DanePS;

/// <summary>The ErrorCategory of a DNS failure (the ErrorIds are in <see cref="ErrorIds"/>, e.g. GetTlsaRecordBogus).</summary>
internal static class DnsLookupErrors
{
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
        DnsFailure.ResolverRemovesDnssec => ErrorCategory.NotImplemented,
        _ => ErrorCategory.ConnectionError,
    };
}
